// The schedule page (schedule.hololive.tv) → stream cards. What it relies on is listed in docs/collector.md;
// selectors match single classes, never whole class strings, because the column classes changed over the years.
import * as cheerio from 'cheerio';
import { dayKey, fromJapanTime, inferYear, isCalendarDate, type JapanDate } from './japan-time.js';
import { videoIdFromUrl } from './youtube-url.js';

export interface ScheduleCard {
  videoId: string;
  /** The scheduled start: the day heading's date and the card's HH:MM, in Japan time. */
  start: Date;
  /** The day heading the card is under, YYYYMMDD. */
  day: string;
  name: string;
  /** The page draws a red border around a stream that is live now. */
  live: boolean;
  thumbnail: string | null;
  /** The first avatar is the talent's own; the others are the collaborators'. */
  talentIcon: string | null;
  collaboratorIcons: string[];
}

export interface SkippedCard {
  href: string;
  reason: string;
}

export interface ParsedSchedule {
  /** Every day heading on the page, YYYYMMDD, in page order (also days without streams). */
  days: string[];
  cards: ScheduleCard[];
  /** Cards that look like streams but could not be used (not YouTube, no time, no name...). */
  skipped: SkippedCard[];
}

/** The page is not the schedule (or changed beyond recognition): nothing on it can be trusted. */
export class SchedulePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchedulePageError';
  }
}

/** cheerio's node type, named without importing its internal domhandler package. */
type AnyNode = Parameters<typeof cheerio.contains>[1];

const DAY_HEADING = 'div.holodule.navbar-text';
const CARD = 'a.thumbnail';
const LIVE_BORDER = /border[\w-]*\s*:[^;]*\bred\b/i;
const VIDEO_THUMBNAIL = /^https?:\/\/(?:img\.youtube\.com|i\d?\.ytimg\.com)\/vi\//;

const textOf = ($el: cheerio.Cheerio<AnyNode>): string => $el.text().replace(/\s+/g, ' ').trim();

export function parseSchedulePage(html: string, fetchedAt: Date): ParsedSchedule {
  const $ = cheerio.load(html);
  const scope = firstPresent($, ['div.tab-content div.tab-pane.active', '#all', 'body']);
  const headings = scope.find(DAY_HEADING);
  if (headings.length === 0) {
    const title = textOf($('title')).slice(0, 80);
    throw new SchedulePageError(
      `not the schedule page: no day headings (${DAY_HEADING}) found${title ? ` on the page titled "${title}"` : ''}`,
    );
  }

  const result: ParsedSchedule = { days: [], cards: [], skipped: [] };
  const seen = new Set<string>();
  let current: JapanDate | null = null;
  // Headings and cards in document order: each card belongs to the last heading above it.
  for (const node of scope.find(`${DAY_HEADING}, ${CARD}`).toArray()) {
    const $node = $(node);
    if ($node.is(DAY_HEADING)) {
      current = parseHeading(textOf($node), fetchedAt);
      result.days.push(dayKey(current));
      continue;
    }
    const card = parseCard($, node, current);
    if (card === null) continue;
    if ('reason' in card) result.skipped.push(card);
    else if (!seen.has(card.videoId)) {
      seen.add(card.videoId);
      result.cards.push(card);
    }
  }
  return result;
}

function firstPresent($: cheerio.CheerioAPI, selectors: string[]): cheerio.Cheerio<AnyNode> {
  for (const selector of selectors) {
    const found = $(selector).first();
    if (found.length > 0) return found;
  }
  return $.root();
}

function parseHeading(text: string, fetchedAt: Date): JapanDate {
  const match = /(\d{1,2})\s*\/\s*(\d{1,2})/.exec(text);
  if (!match)
    throw new SchedulePageError(`not the schedule page: a day heading reads "${text.slice(0, 40)}", not MM/DD`);
  const month = Number(match[1]);
  const day = Number(match[2]);
  const date = { year: inferYear(month, day, fetchedAt), month, day };
  if (!isCalendarDate(date))
    throw new SchedulePageError(`not the schedule page: a day heading reads "${match[0]}", not a date`);
  return date;
}

/** A stream card, a reason to skip it, or null for a banner (a link elsewhere, no time: not a stream at all). */
function parseCard($: cheerio.CheerioAPI, node: AnyNode, day: JapanDate | null): ScheduleCard | SkippedCard | null {
  const $card = $(node);
  const href = ($card.attr('href') ?? '').trim();
  const $time = $card.find('.datetime').first();
  if ($time.length === 0) return null;
  const videoId = videoIdFromUrl(href);
  if (videoId === null) return { href, reason: 'not a YouTube video link' };
  if (day === null) return { href, reason: 'card before any day heading' };
  const time = /(\d{1,2})\s*:\s*(\d{2})/.exec(textOf($time));
  if (!time) return { href, reason: `no HH:MM time (found "${textOf($time).slice(0, 20)}")` };
  const name = textOf($card.find('.name').first());
  if (name === '') return { href, reason: 'no talent name' };

  const images = $card
    .find('img')
    .toArray()
    .filter((img) => $(img).closest('.datetime').length === 0)
    .map((img) => ($(img).attr('src') ?? '').trim())
    .filter((src) => src !== '');
  const thumbnail = images.find((src) => VIDEO_THUMBNAIL.test(src)) ?? null;
  const avatars = images.filter((src) => src !== thumbnail);
  return {
    videoId,
    start: fromJapanTime(day, Number(time[1]), Number(time[2])),
    day: dayKey(day),
    name,
    live: LIVE_BORDER.test($card.attr('style') ?? ''),
    thumbnail,
    talentIcon: avatars[0] ?? null,
    collaboratorIcons: avatars.slice(1),
  };
}
