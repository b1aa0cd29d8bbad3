// The v2 schedule questions: streams by range and filters (paged), one stream, what is live and coming up.
// Parameters arrive as the client wrote them; each one that cannot be used is a 400 naming it.
import { invalidParameter, notFound } from '../errors.js';
import { orderStartOf, searchForm } from '../store/stream-facets.js';
import { STREAM_STATUSES, type Store, type StreamQuery, type StreamStatus } from '../store/types.js';
import { GROUPS, type TalentDirectory } from '../talents/directory.js';
import { parseInstant } from './rfc3339.js';
import { type CursorCodec, filterDigest } from './stream-cursor.js';
import { type StreamResource, streamResource } from './stream-view.js';
import type { AnswerMemo } from './answer-memo.js';
import type { TalentCatalog } from './talent-catalog.js';
import { MAX_LIMIT, MAX_TEXT_CHARS } from '../schemas/limits.js';

export { MAX_LIMIT, MAX_TEXT_CHARS };

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The window when neither `from` nor `to` is given: the last day and the next seven. */
export const DEFAULT_PAST_MS = DAY_MS;
export const DEFAULT_FUTURE_MS = 7 * DAY_MS;
/** With only one end given, the other is this far from it. */
export const DEFAULT_SPAN_MS = DEFAULT_PAST_MS + DEFAULT_FUTURE_MS;
export const DEFAULT_LIMIT = 50;
export const DEFAULT_LIVE_HOURS = 6;
export const MAX_LIVE_HOURS = 48;
/** A stream due this long ago that has not started yet is still shown as upcoming (streams often start late). */
export const LATE_START_GRACE_MS = HOUR_MS;
/** How far back a stream still marked live may have started. */
const LIVE_LOOKBACK_MS = DAY_MS;
const MAX_VALUES = 50;
const LIVE_LIMIT = 200;

// The patterns the OpenAPI document states, which the server applies as they are (ASCII classes only: JS's and
// Python's regex engines read them alike). Numbers are written without leading zeros.
export const LIMIT_PATTERN = '^(?:[1-9]|[1-9][0-9]|1[0-9]{2}|200)$';
export const HOURS_PATTERN = '^(?:[1-9]|[1-3][0-9]|4[0-8])$';
export const VIDEO_ID_PATTERN = '^[A-Za-z0-9_-]{11}$';
/** A talent code as a client may write it (either case): GET /api/v2/talents lists them. */
export const CODE_PATTERN = '^[A-Za-z0-9]{2,16}$';
/** One value, or up to MAX_VALUES separated by commas (no spaces, no empty items). */
const listPattern = (value: string): string => `^${value}(?:,${value}){0,${MAX_VALUES - 1}}$`;
const oneOf = (values: readonly string[]): string => `(?:${values.join('|')})`;
export const TALENT_LIST_PATTERN = listPattern('[A-Za-z0-9]{2,16}');
export const GROUP_LIST_PATTERN = listPattern(oneOf(GROUPS.map((g) => g.id)));
export const STATUS_LIST_PATTERN = listPattern(oneOf(STREAM_STATUSES));
const LIMIT = new RegExp(LIMIT_PATTERN, 'u');
const HOURS = new RegExp(HOURS_PATTERN, 'u');
const VIDEO_ID = new RegExp(VIDEO_ID_PATTERN, 'u');
const LISTS = {
  talent: new RegExp(TALENT_LIST_PATTERN, 'u'),
  group: new RegExp(GROUP_LIST_PATTERN, 'u'),
  status: new RegExp(STATUS_LIST_PATTERN, 'u'),
};

export interface ScheduleDeps {
  store: Store;
  talents: TalentCatalog;
  cursors: CursorCodec;
  /** Keeps answers whose sources did not change (optional: the CLI asks once). */
  answers?: AnswerMemo;
  now?: () => number;
}

/** "Now" to the whole second: every request within a second asks the same question (and can share its answer). */
const nowOf = (deps: ScheduleDeps): number => Math.floor((deps.now ?? Date.now)() / 1000) * 1000;

const remembered = <T extends object>(deps: ScheduleDeps, key: string, sources: unknown[], make: () => T): T =>
  deps.answers ? deps.answers.answer(key, sources, make) : make();

export interface StreamParams {
  from?: string;
  to?: string;
  talent?: string;
  group?: string;
  status?: string;
  q?: string;
  order?: string;
  limit?: string;
  cursor?: string;
}

export interface StreamPage {
  items: StreamResource[];
  next_cursor: string | null;
}

const iso = (time: number): string => new Date(time).toISOString();

const ITEM = {
  talent: /^[A-Za-z0-9]{2,16}$/,
  group: new RegExp(`^${oneOf(GROUPS.map((g) => g.id))}$`, 'u'),
  status: new RegExp(`^${oneOf(STREAM_STATUSES)}$`, 'u'),
};
const DESCRIBE = {
  talent: 'a talent code: 2 to 16 letters and digits (GET /api/v2/talents)',
  group: 'a group (GET /api/v2/groups)',
  status: `one of ${STREAM_STATUSES.join(', ')}`,
};

/** A comma-separated list as its pattern allows it, deduplicated and sorted; else a 400 saying what is wrong. */
export function parseList(parameter: keyof typeof LISTS, value: string): string[] {
  const values = value.split(',');
  if (!LISTS[parameter].test(value)) {
    const bad = values.find((v) => !ITEM[parameter].test(v));
    if (bad === undefined || values.length > MAX_VALUES)
      throw invalidParameter(parameter, `${parameter} takes 1 to ${MAX_VALUES} values separated by commas`);
    throw invalidParameter(parameter, `${parameter} "${bad.slice(0, 40)}" is not ${DESCRIBE[parameter]}`);
  }
  return [...new Set(values)].sort();
}

export function talentCodes(
  params: Pick<StreamParams, 'talent' | 'group'>,
  directory: TalentDirectory,
): string[] | undefined {
  let codes: string[] | undefined;
  if (params.talent !== undefined) {
    codes = [...new Set(parseList('talent', params.talent).map((c) => c.toUpperCase()))].sort();
    const unknown = codes.find((c) => directory.talent(c) === undefined);
    if (unknown !== undefined)
      throw invalidParameter('talent', `talent "${unknown}" is not in the directory (GET /api/v2/talents)`);
  }
  if (params.group !== undefined) {
    const groups = parseList('group', params.group);
    const ofGroups = new Set(groups.flatMap((g) => directory.talents(g).map((t) => t.code)));
    // Filters combine with AND: a talent and a group give that talent's streams if they are in the group.
    codes = codes === undefined ? [...ofGroups].sort() : codes.filter((c) => ofGroups.has(c));
  }
  return codes;
}

export function parseStatuses(value: string | undefined): StreamStatus[] | undefined {
  return value === undefined ? undefined : (parseList('status', value) as StreamStatus[]);
}

export function parseText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Counted as written (the OpenAPI maxLength), before the search form (which may lengthen it).
  if (Array.from(value).length > MAX_TEXT_CHARS)
    throw invalidParameter('q', `q is at most ${MAX_TEXT_CHARS} characters`);
  const needle = searchForm(value).trim();
  return needle === '' ? undefined : needle;
}

export function parseOrder(value: string | undefined): 'asc' | 'desc' {
  if (value === undefined || value === 'asc' || value === 'desc') return value ?? 'asc';
  throw invalidParameter('order', `order must be asc or desc, got "${value.slice(0, 20)}"`);
}

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = LIMIT.test(value) ? Number(value) : Number.NaN;
  if (Number.isNaN(n))
    throw invalidParameter('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${value.slice(0, 20)}"`);
  return n;
}

/** The window asked for, with the documented defaults for a missing end. */
function window(params: StreamParams, now: number): { fromUtc: string; toUtc: string } {
  const from = params.from === undefined ? undefined : parseInstant('from', params.from);
  const to = params.to === undefined ? undefined : parseInstant('to', params.to);
  // An empty window is a mistake, not a question: from=2020-12-10&to=2020-12-09 is one (to ends as the 10th begins).
  if (from !== undefined && to !== undefined && from >= to)
    throw invalidParameter('from', `from (${params.from}) must be before to (${params.to})`);
  const start = from ?? (to === undefined ? now - DEFAULT_PAST_MS : to - DEFAULT_SPAN_MS);
  const end = to ?? (from === undefined ? now + DEFAULT_FUTURE_MS : from + DEFAULT_SPAN_MS);
  return { fromUtc: iso(start), toUtc: iso(end) };
}

/** What a request's parameters (but its cursor) ask the store, and the digest its cursors are bound to. */
interface StreamPlan {
  query: StreamQuery;
  range: { fromUtc: string; toUtc: string };
  digest: string;
  pageSize: number;
  /** The answer's key in the memo when no cursor is given. */
  answerKey: string;
}

function planOf(params: StreamParams, directory: TalentDirectory, now: number): StreamPlan {
  const talents = talentCodes(params, directory);
  const wanted = {
    talents,
    statuses: parseStatuses(params.status),
    needle: parseText(params.q),
    order: parseOrder(params.order),
  };
  const pageSize = parseLimit(params.limit);
  const range = window(params, now);
  const digest = filterDigest({ from: params.from ?? null, to: params.to ?? null, ...wanted });
  const query: StreamQuery = {
    ...range,
    order: wanted.order,
    limit: pageSize + 1,
    ...(talents !== undefined ? { talents } : {}),
    ...(wanted.statuses !== undefined ? { statuses: wanted.statuses } : {}),
    ...(wanted.needle !== undefined
      ? { text: { needle: wanted.needle, talents: directory.codesNamed(wanted.needle) } }
      : {}),
  };
  return { query, range, digest, pageSize, answerKey: answerKeyOf(digest, query) };
}

const answerKeyOf = (digest: string, query: StreamQuery): string => `streams|${digest}|${JSON.stringify(query)}`;

/** Streams matching every filter given, a page at a time in start order; `next_cursor` fetches the next page. */
export async function findStreams(deps: ScheduleDeps, params: StreamParams): Promise<StreamPage> {
  const now = nowOf(deps);
  const directory = await deps.talents.current();
  // A popular question is parsed once: its plan depends on the directory, and on "now" only for a default window.
  const defaultWindow = params.from === undefined && params.to === undefined;
  // Every parameter but the cursor, so a parameter added later cannot make two questions share a plan.
  const planKey = JSON.stringify([{ ...params, cursor: undefined }, defaultWindow ? now : null]);
  const make = () => planOf(params, directory, now);
  const plan = deps.answers ? deps.answers.plans.answer(planKey, [directory], make) : make();
  const { digest, pageSize } = plan;
  let { query, range, answerKey } = plan;
  if (params.cursor !== undefined) {
    const state = deps.cursors.decode(params.cursor, digest);
    range = { fromUtc: state.fromUtc, toUtc: state.toUtc };
    query = { ...query, ...range, after: { start: state.start, key: state.key } };
    answerKey = answerKeyOf(digest, query);
  }
  // One more than a page: whether a next page exists is known without a second query.
  const found = await deps.store.streams.query(query);
  return remembered(deps, answerKey, [found, directory], () => {
    const page = found.slice(0, pageSize);
    const last = page.at(-1);
    // The position is in the store's own start form, which the next page's query compares against.
    const next_cursor =
      found.length > pageSize && last !== undefined
        ? deps.cursors.encode({ start: orderStartOf(last), key: last.key, ...range, filter: digest })
        : null;
    return { items: page.map((s) => streamResource(s, directory)), next_cursor };
  });
}

export function checkVideoId(videoId: string): void {
  if (!VIDEO_ID.test(videoId))
    throw invalidParameter(
      'video_id',
      `video_id must be an 11-character YouTube video id, got "${videoId.slice(0, 40)}"`,
    );
}

export async function findStream(deps: ScheduleDeps, videoId: string): Promise<StreamResource> {
  checkVideoId(videoId);
  const stream = await deps.store.streams.findByVideoId(videoId);
  if (stream === null) throw notFound();
  return streamResource(stream, await deps.talents.current());
}

export interface LiveNow {
  live: StreamResource[];
  upcoming: StreamResource[];
}

export function parseHours(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIVE_HOURS;
  const n = HOURS.test(value) ? Number(value) : Number.NaN;
  if (Number.isNaN(n))
    throw invalidParameter(
      'hours',
      `hours must be a whole number from 1 to ${MAX_LIVE_HOURS}, got "${value.slice(0, 20)}"`,
    );
  return n;
}

/** Streams live now, and those due within `hours` (or late by less than the grace), both in start order. */
export async function liveNow(deps: ScheduleDeps, hoursParam: string | undefined): Promise<LiveNow> {
  const hours = parseHours(hoursParam);
  const now = nowOf(deps);
  const toUtc = iso(now + hours * HOUR_MS);
  const [directory, live, upcoming] = await Promise.all([
    deps.talents.current(),
    deps.store.streams.query({
      fromUtc: iso(now - LIVE_LOOKBACK_MS),
      toUtc,
      statuses: ['live'],
      order: 'asc',
      limit: LIVE_LIMIT,
    }),
    deps.store.streams.query({
      fromUtc: iso(now - LATE_START_GRACE_MS),
      toUtc,
      statuses: ['upcoming'],
      order: 'asc',
      limit: LIVE_LIMIT,
    }),
  ]);
  return remembered(deps, `live|${hours}|${now}`, [live, upcoming, directory], () => ({
    live: live.map((s) => streamResource(s, directory)),
    upcoming: upcoming.map((s) => streamResource(s, directory)),
  }));
}
