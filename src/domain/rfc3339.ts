// Instants as v2 reads and writes them: RFC 3339 with a zone, or a bare YYYY-MM-DD meaning that day in Japan time.
import { invalidParameter } from '../errors.js';

/** A calendar day YYYY-MM-DD from 1970 on (leap years included), as a pattern both JS and Python read alike. */
const DATE =
  '(?:(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))' +
  '|(?:19(?:7[26]|8[048]|9[26])|[2-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)-02-29)';
/**
 * What `from` and `to` accept, stated in the OpenAPI document: a day, or an RFC 3339 time with a zone (seconds and
 * up to 9 fraction digits optional; offsets up to ±23:59).
 */
export const INSTANT_PATTERN = `^${DATE}(?:[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?$`;
const INSTANT = new RegExp(INSTANT_PATTERN, 'u');
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

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
  if (!INSTANT.test(value)) throw bad();
  if (value.length === 10) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d) - JST_OFFSET_MS + (parameter === 'to' ? DAY_MS : 0);
  }
  const time = Date.parse(value.replace(' ', 'T').toUpperCase());
  if (Number.isNaN(time)) throw bad();
  return time;
}
