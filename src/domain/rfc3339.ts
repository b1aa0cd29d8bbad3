// Instants as v2 reads and writes them: RFC 3339 with a zone, or a bare YYYY-MM-DD meaning that day in Japan time.
import { invalidParameter } from '../errors.js';

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const isCalendarDay = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** `2020-12-09T14:00:00Z`: seconds precision, always UTC. */
export const rfc3339 = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A stored time (any form Date.parse reads) as RFC 3339 UTC, or null. */
export function rfc3339OrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : rfc3339(time);
}

/**
 * A `from` or `to` parameter as epoch milliseconds. A bare day is that day in Japan time: its start for `from`,
 * the start of the next day (an exclusive end) for `to`, so `from=2020-12-09&to=2020-12-09` is the whole day.
 */
export function parseInstant(parameter: 'from' | 'to', value: string): number {
  const bad = () =>
    invalidParameter(
      parameter,
      `${parameter} must be an RFC 3339 time with a zone (2020-12-09T23:00:00+09:00) or a day in Japan time (2020-12-09), got "${value.slice(0, 40)}"`,
    );
  const day = DAY.exec(value);
  if (day) {
    const [y, m, d] = day.slice(1).map(Number) as [number, number, number];
    if (!isCalendarDay(y, m, d) || y < 1970) throw bad();
    return Date.UTC(y, m - 1, d) - JST_OFFSET_MS + (parameter === 'to' ? DAY_MS : 0);
  }
  const match = INSTANT.exec(value);
  if (!match) throw bad();
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  if (!isCalendarDay(y!, mo!, d!) || h! > 23 || mi! > 59 || s! > 59 || y! < 1970) throw bad();
  const time = Date.parse(value.replace(' ', 'T').toUpperCase());
  if (Number.isNaN(time)) throw bad();
  return time;
}
