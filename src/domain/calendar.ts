// A feed's streams as RFC 5545 iCalendar, written by ical-generator: one VEVENT per stream in a window around now.
import ical, { ICalEventStatus } from 'ical-generator';
import { movesOf, orderStartOf, startUtcOf, statusOf, talentCodeOf } from '../store/stream-facets.js';
import type { FeedFilters, Store, Stream, StreamQuery } from '../store/types.js';
import type { TalentDirectory } from '../talents/directory.js';
import { MAX_EVENTS } from '../schemas/limits.js';

export { MAX_EVENTS };

export interface CalendarSettings {
  pastDays: number;
  futureDays: number;
  /** How long a stream that has not ended lasts in the calendar. */
  defaultMinutes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const PAGE = 500;
/** REFRESH-INTERVAL and X-PUBLISHED-TTL: how often a client should fetch again. */
export const REFRESH_SECONDS = 15 * 60;

const timeOf = (value: unknown): number | null => {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
};

/** The talent codes a feed's filters allow, by today's directory (a group's members as they are now); undefined: any. */
function codesOf(filters: FeedFilters, directory: TalentDirectory): string[] | undefined {
  let codes = filters.talents;
  if (filters.groups !== undefined) {
    const ofGroups = new Set(filters.groups.flatMap((g) => directory.talents(g).map((t) => t.code)));
    codes = codes === undefined ? [...ofGroups].sort() : codes.filter((c) => ofGroups.has(c));
  }
  return codes;
}

/** The streams of the window that pass the filters, in start order, through the v2 query (and its indexes). */
export async function streamsForFeed(
  store: Store,
  filters: FeedFilters,
  directory: TalentDirectory,
  settings: CalendarSettings,
  now: number,
): Promise<Stream[]> {
  const talents = codesOf(filters, directory);
  if (talents !== undefined && talents.length === 0) return [];
  const base: StreamQuery = {
    fromUtc: new Date(now - settings.pastDays * DAY_MS).toISOString(),
    toUtc: new Date(now + settings.futureDays * DAY_MS).toISOString(),
    order: 'asc',
    limit: PAGE,
    ...(talents !== undefined ? { talents } : {}),
    ...(filters.statuses !== undefined ? { statuses: filters.statuses } : {}),
  };
  const streams: Stream[] = [];
  let after: StreamQuery['after'];
  while (streams.length < MAX_EVENTS) {
    const page = await store.streams.query(after === undefined ? base : { ...base, after });
    streams.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) break;
    after = { start: orderStartOf(last), key: last.key };
  }
  return streams.slice(0, MAX_EVENTS);
}

/** The calendar text: CRLF line ends, lines folded at 75 octets between characters (ical-generator does both). */
export function renderCalendar(
  calendarName: string,
  streams: Stream[],
  directory: TalentDirectory,
  settings: CalendarSettings,
): string {
  const calendar = ical({
    name: calendarName,
    prodId: { company: 'holodule', product: 'holodule', language: 'EN' },
    ttl: REFRESH_SECONDS,
  });
  for (const stream of streams) {
    const startText = startUtcOf(stream);
    const start = timeOf(startText);
    if (start === null) continue;
    const youtube = stream.youtube ?? {};
    const status = statusOf(stream);
    const actualEnd = status === 'ended' ? timeOf(youtube.actual_end) : null;
    const end = actualEnd !== null && actualEnd > start ? actualEnd : start + settings.defaultMinutes * MINUTE_MS;
    const talent = directory.talent(talentCodeOf(stream.key))?.name ?? stream.name;
    const modified = timeOf(stream.lastUpdated) ?? timeOf(stream.firstSeen);
    calendar.createEvent({
      id: `${stream.video_id}@holodule`,
      sequence: movesOf(stream.extra),
      // DTSTAMP from the data, not the clock: the same schedule gives the same bytes (and ETag) every time.
      stamp: new Date(modified ?? start),
      start: new Date(start),
      end: new Date(end),
      summary: stream.title === '' ? talent : `${talent}: ${stream.title}`,
      description: stream.description === '' ? stream.url : `${stream.description}\n\n${stream.url}`,
      url: stream.url,
      status: status === 'missing' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(modified !== null ? { lastModified: new Date(modified) } : {}),
    });
  }
  const text = calendar.toString();
  // RFC 5545 §3.1: every content line ends with CRLF, the last one too.
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
