// What the v2 queries filter and sort on, derived from a stream as stored: its start in UTC, its talent code,
// its status and a search text. Both stores write these beside the stream on every write (SQLite as columns,
// MongoDB as fields of ours) so that an index serves each query; they are never read back as the stream.
import type { Stream, StreamQuery, StreamStatus } from './types.js';

export interface StreamFacets {
  /** RFC 3339 UTC as `Date.toISOString()` writes it: fixed width, so text order is time order. */
  start: string;
  talent: string;
  status: StreamStatus;
  /** Title, talent name and collaborator names in search form. */
  search: string;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const CONTRACT_DATETIME = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/;

/** Full-width and half-width forms folded (NFKC), case folded, runs of space made one: ＡＢＣ, abc and ABC match. */
export const searchForm = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');

/** The talent code: the key's first part (`HL0503_20201209_230000`). */
export const talentCodeOf = (key: string): string => key.split('_')[0] ?? key;

/** The start in UTC: what the collector stored, else the contract's Japan-time `datetime`; '' when neither reads. */
export function startUtcOf(stream: Stream): string {
  const stored = stream.extra?.start_utc;
  if (typeof stored === 'string') {
    const time = Date.parse(stored);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return orderStartOf(stream);
}

/**
 * The start the queries order and page by: the contract's `datetime` in UTC (the collector writes `start_utc` from
 * the same instant). Both stores order by it — MongoDB by `datetime` itself, the original's field.
 */
export function orderStartOf(stream: Stream): string {
  const m = CONTRACT_DATETIME.exec(stream.datetime);
  if (!m) return '';
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const time = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - JST_OFFSET_MS;
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}

/**
 * The page and YouTube's word, in four: gone from the page or from YouTube is `missing`; a stream stored without
 * any word (the original's, imported history) is `ended`.
 */
export function statusOf(stream: Stream): StreamStatus {
  if (stream.disappearedAt) return 'missing';
  switch (stream.liveStatus) {
    case 'unavailable':
      return 'missing';
    case 'live':
      return 'live';
    case 'upcoming':
      return 'upcoming';
    default:
      return 'ended';
  }
}

/** Collaborators as stored: `{code, name, avatar}` objects, or (before names were known) bare avatar URLs. */
export interface StoredCollaborator {
  code: string | null;
  name: string | null;
  avatar: string | null;
}

export function collaboratorsOf(stream: Stream): StoredCollaborator[] {
  const stored = stream.extra?.collaborators;
  if (!Array.isArray(stored)) return [];
  return stored.map((c: unknown) => {
    if (typeof c === 'string') return { code: null, name: null, avatar: c };
    const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    return { code: text(o.code), name: text(o.name), avatar: text(o.avatar) };
  });
}

/** The card's thumbnail as collected, else YouTube's standard one for the video. */
export function thumbnailOf(stream: Stream): string {
  const stored = stream.extra?.thumbnail;
  return typeof stored === 'string' && stored !== ''
    ? stored
    : `https://img.youtube.com/vi/${stream.video_id}/mqdefault.jpg`;
}

export function facetsOf(stream: Stream): StreamFacets {
  const names = collaboratorsOf(stream).flatMap((c) => (c.name ? [c.name] : []));
  return {
    start: orderStartOf(stream),
    talent: talentCodeOf(stream.key),
    status: statusOf(stream),
    // One line a name: a needle never matches across two of them.
    search: [stream.title, stream.name, ...names].map(searchForm).join('\n'),
  };
}

/**
 * The window narrowed to where the page after the cursor can be, so the index seek starts at the cursor and not at
 * the window's start however deep the client pages (the row-value comparison then settles ties on start by key).
 */
export function seekRange(query: StreamQuery): { from: string; to: string; toInclusive: boolean } {
  const { fromUtc, toUtc, after } = query;
  if (after !== undefined && query.order === 'desc' && after.start < toUtc)
    return { from: fromUtc, to: after.start, toInclusive: true };
  if (after !== undefined && query.order === 'asc' && after.start > fromUtc)
    return { from: after.start, to: toUtc, toInclusive: false };
  return { from: fromUtc, to: toUtc, toInclusive: false };
}

/** How many times a stream was rescheduled (moved to a new key): `moves` among its own fields, 0 when never. */
export const movesOf = (extra: Record<string, unknown> | null | undefined): number =>
  typeof extra?.moves === 'number' && Number.isSafeInteger(extra.moves) && extra.moves >= 0 ? extra.moves : 0;
