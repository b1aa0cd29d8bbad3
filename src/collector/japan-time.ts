// Japan time (UTC+9, no daylight saving since 1951): the schedule page's clock and the contract's `datetime`.
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export interface JapanDate {
  year: number;
  month: number;
  day: number;
}

export function japanDateOf(instant: Date): JapanDate {
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The instant of a Japan wall-clock time; an hour of 24 or more rolls into the next day, as Date.UTC does. */
export function fromJapanTime(date: JapanDate, hour: number, minute: number): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day, hour, minute) - JST_OFFSET_MS);
}

/** The contract's `datetime`: `YYYYMMDD HHMMSS` in Japan time. */
export function contractDatetime(instant: Date): string {
  const t = new Date(instant.getTime() + JST_OFFSET_MS);
  return (
    `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`
  );
}

/** `YYYYMMDD` of a Japan date, the prefix the day query uses. */
export const dayKey = (date: JapanDate): string => `${pad(date.year, 4)}${pad(date.month)}${pad(date.day)}`;

/**
 * The page gives `MM/DD` without a year: pick the year that puts the date nearest to when the page was
 * fetched, so 12/31 fetched on January 1st is last year and 01/01 fetched on December 31st is next year.
 */
export function inferYear(month: number, day: number, fetchedAt: Date): number {
  const today = japanDateOf(fetchedAt);
  const reference = Date.UTC(today.year, today.month - 1, today.day);
  let best = today.year;
  let bestDistance = Infinity;
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    if (!isCalendarDate({ year, month, day })) continue;
    const distance = Math.abs(Date.UTC(year, month - 1, day) - reference);
    if (distance < bestDistance) {
      best = year;
      bestDistance = distance;
    }
  }
  return best;
}

/** A real calendar date (Date.UTC would silently turn 02/30 into 03/02). */
export function isCalendarDate({ year, month, day }: JapanDate): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
