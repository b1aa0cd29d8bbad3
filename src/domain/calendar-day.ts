// A schedule day: YYYYMMDD in Japan time, checked to be a real calendar date.
import { badRequest } from '../errors.js';

export function parseCalendarDay(value: string): string {
  if (!/^\d{8}$/.test(value))
    throw badRequest(`date must be 8 digits, YYYYMMDD (e.g. 20201209), got "${value.slice(0, 40)}"`);
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw badRequest(`${value} is not a calendar date (YYYYMMDD)`);
  }
  return value;
}
