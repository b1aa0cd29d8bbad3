// Times on the page: the viewer's time zone by default, or Japan time (the schedule's own), remembered.
// Days are always Japan-time days, as the schedule and the API count them.
import { lang } from './i18n';
import { storedValue } from './state';

export type Zone = 'local' | 'japan';
export const zone = storedValue<Zone>('holodule.zone', ['local', 'japan'], 'local');

const JAPAN = 'Asia/Tokyo';
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const timeZoneOption = (): { timeZone?: string } => (zone.get() === 'japan' ? { timeZone: JAPAN } : {});
const locale = (): string => (lang.get() === 'ja' ? 'ja-JP' : 'en-GB');

/** 21:00, in the chosen zone. */
export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', ...timeZoneOption() }).format(
    new Date(iso),
  );
}

/** Wed 9 Dec 21:00, in the chosen zone (for streams not on the day shown). */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...timeZoneOption(),
  }).format(new Date(iso));
}

/** The short name of the zone shown (JST, CET, GMT+2…). */
export function zoneName(): string {
  const parts = new Intl.DateTimeFormat(locale(), { timeZoneName: 'short', ...timeZoneOption() }).formatToParts(
    new Date(),
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Today in Japan, YYYY-MM-DD. */
export function japanToday(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: JAPAN,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A real calendar day YYYY-MM-DD (2020-02-30 is not). */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text && Number(match[1]) >= 1970;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Wednesday, 9 December 2020 (the day's own name: a Japan-time day, shown as a date only). */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}
