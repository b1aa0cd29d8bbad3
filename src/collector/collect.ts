// The collect job: read the schedule page(s), ask YouTube about what is not settled yet, store the result.
// Safe to run any number of times: it only upserts, never deletes, and a source that fails changes nothing.
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config.js';
import type { Store, Stream } from '../store/types.js';
import { buildStream, isComplete, sameContent, streamKey, type YouTubeAnswer } from './build-stream.js';
import type { RequestPolicy } from './http-get.js';
import { contractDatetime } from './japan-time.js';
import type { ScheduleCard } from './parse-schedule-page.js';
import { fetchScheduleList, type ListedVideo } from './schedule-list-client.js';
import { fetchSchedulePage } from './schedule-page-client.js';
import { TalentDirectory } from './talent-codes.js';
import { YouTubeClient, type VideoLookup } from './youtube-client.js';

export interface CollectResult {
  /** Streams stored for the first time. */
  new: number;
  /** Streams changed (moved ones included). */
  updated: number;
  unchanged: number;
  /** Cards that could not be used: not YouTube, no time or name, or a key another card already has. */
  skipped: number;
  /** Pages that could not be fetched or parsed (their streams were left as stored). */
  failed: number;
  /** Rescheduled streams moved to their new key. */
  moved: number;
  /** Stored streams newly marked as gone from the page. */
  marked: number;
  pages: { url: string; streams: number; error?: string }[];
}

export type CollectProgress =
  | { step: 'page'; url: string; index: number; total: number }
  | { step: 'youtube'; ids: number }
  | { step: 'list' }
  | { step: 'store'; streams: number };

export interface CollectorOptions {
  store: Store;
  config: CollectorConfig;
  log: Logger;
  talents?: TalentDirectory;
  now?: () => Date;
}

export interface CollectRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
}

export interface Collector {
  collect(options?: CollectRunOptions): Promise<CollectResult>;
}

interface SeenCard {
  card: ScheduleCard;
  source: string;
}

export function createCollector(options: CollectorOptions): Collector {
  const { store, config, log } = options;
  const now = options.now ?? (() => new Date());
  const talents = options.talents ?? new TalentDirectory();
  const policy: RequestPolicy = { timeoutMs: config.timeoutMs, retries: config.retries, retryDelayMs: config.retryDelayMs };
  // Kept for the process's life, so a quota or key refusal pauses YouTube across runs and is logged once.
  const youtube = config.youtubeApiKey
    ? new YouTubeClient({ apiKey: config.youtubeApiKey, baseUrl: config.youtubeApiUrl, policy, log, now: () => now().getTime() })
    : null;
  const reportedUnknown = new Set<string>();

  async function collect({ signal, onProgress }: CollectRunOptions = {}): Promise<CollectResult> {
    const startedAt = now();
    const result: CollectResult = { new: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, moved: 0, marked: 0, pages: [] };

    const cards = new Map<string, SeenCard>();
    let everyPageComplete = true;
    for (const [index, url] of config.pageUrls.entries()) {
      onProgress?.({ step: 'page', url, index, total: config.pageUrls.length });
      try {
        const parsed = await fetchSchedulePage(url, policy, now, signal);
        result.pages.push({ url, streams: parsed.cards.length });
        result.skipped += parsed.skipped.length;
        for (const skip of parsed.skipped) log.debug({ url, ...skip }, 'schedule card skipped');
        if (parsed.cards.length === 0) everyPageComplete = false;
        for (const card of parsed.cards) if (!cards.has(card.videoId)) cards.set(card.videoId, { card, source: url });
      } catch (err) {
        if (signal?.aborted) throw err;
        everyPageComplete = false;
        result.failed++;
        const message = err instanceof Error ? err.message : String(err);
        result.pages.push({ url, streams: 0, error: message });
        log.warn({ url, err: message }, 'schedule page not collected; stored streams left as they are');
      }
    }
    if (cards.size === 0) {
      log.warn({ pages: result.pages }, 'no streams read from the schedule; nothing stored or marked');
      return result;
    }

    const ids = [...cards.keys()];
    const existingByVideo = groupByVideo(await store.streams.findByVideoIds(ids));
    const codeOf = (card: ScheduleCard) => {
      const code = talents.codeFor(card.name);
      if (!code.known && !reportedUnknown.has(card.name)) {
        reportedUnknown.add(card.name);
        log.warn({ name: card.name, code: code.code }, 'talent not in talents.json: stored under a generated code (add it to keep codes meaningful)');
      }
      return code;
    };
    const existingFor = (seen: SeenCard): Stream | undefined => {
      const candidates = existingByVideo.get(seen.card.videoId) ?? [];
      const key = streamKey(codeOf(seen.card).code, seen.card.start);
      return candidates.find((s) => s.key === key) ?? candidates[0];
    };

    let lookup: VideoLookup | null = null;
    if (youtube) {
      const ask = ids.filter((id) => !isComplete(existingFor(cards.get(id)!)));
      if (ask.length > 0) {
        onProgress?.({ step: 'youtube', ids: ask.length });
        lookup = await youtube.lookup(ask, signal);
      }
    }

    let listed = new Map<string, ListedVideo>();
    const untitled = ids.filter((id) => !lookup?.found.get(id)?.title && !existingFor(cards.get(id)!)?.title);
    if (untitled.length > 0 && config.listUrl) {
      onProgress?.({ step: 'list' });
      try {
        listed = await fetchScheduleList(config.listUrl, policy, signal);
      } catch (err) {
        if (signal?.aborted) throw err;
        log.warn({ url: config.listUrl, err: err instanceof Error ? err.message : String(err) }, 'schedule list not read; titles stay as they are');
      }
    }

    const stamp = startedAt.toISOString();
    const writes: Stream[] = [];
    const moves: { from: string; stream: Stream }[] = [];
    const keys = new Map<string, string>();
    for (const seen of cards.values()) {
      const { card } = seen;
      const code = codeOf(card);
      const existing = existingFor(seen);
      const next = buildStream({
        card,
        source: seen.source,
        code: code.code,
        codeGenerated: !code.known,
        existing,
        youtube: answerFor(lookup, card.videoId),
        listed: listed.get(card.videoId),
      });
      const holder = keys.get(next.key);
      if (holder !== undefined) {
        result.skipped++;
        log.warn({ key: next.key, videoId: card.videoId, keptVideoId: holder }, 'two streams share a key (same talent, same minute): kept the first');
        continue;
      }
      keys.set(next.key, card.videoId);
      if (existing && sameContent(existing, next)) {
        result.unchanged++;
        continue;
      }
      next.extra = { ...next.extra, first_seen: existing?.extra?.first_seen ?? stamp, last_updated: stamp };
      if (existing && existing.key !== next.key) moves.push({ from: existing.key, stream: next });
      else writes.push(next);
    }

    onProgress?.({ step: 'store', streams: writes.length + moves.length });
    for (const move of moves) {
      await store.streams.moveStream(move.from, move.stream);
      result.moved++;
      result.updated++;
      log.info({ videoId: move.stream.video_id, from: move.from, to: move.stream.key }, 'stream rescheduled: moved to its new key');
    }
    const counts = await store.streams.upsertMany(writes);
    result.new += counts.inserted;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;

    // Only a complete picture may say a stream is gone: every page read, none of them empty.
    if (everyPageComplete) result.marked = await markDisappeared(store, [...cards.values()].map((c) => c.card), stamp);

    log.info({ ...result, pages: result.pages.length }, 'collect finished');
    return result;
  }

  return { collect };
}

function groupByVideo(streams: Stream[]): Map<string, Stream[]> {
  const byVideo = new Map<string, Stream[]>();
  for (const s of streams) byVideo.set(s.video_id, [...(byVideo.get(s.video_id) ?? []), s]);
  // Newest first, so a legacy duplicate never wins over the current entry.
  for (const list of byVideo.values()) list.sort((a, b) => b.datetime.localeCompare(a.datetime));
  return byVideo;
}

function answerFor(lookup: VideoLookup | null, videoId: string): YouTubeAnswer {
  const video = lookup?.found.get(videoId);
  if (video) return { kind: 'found', video };
  if (lookup?.missing.has(videoId)) return { kind: 'missing' };
  return { kind: 'none' };
}

/** Stored streams between the page's first and last card that the page no longer shows: marked, never deleted. */
async function markDisappeared(store: Store, cards: ScheduleCard[], stamp: string): Promise<number> {
  const seen = new Set(cards.map((c) => c.videoId));
  const starts = cards.map((c) => contractDatetime(c.start)).sort();
  const first = starts[0]!;
  const last = starts[starts.length - 1]!;
  const marks: Stream[] = [];
  for (const day of daysBetween(first.slice(0, 8), last.slice(0, 8))) {
    for (const stream of await store.streams.findByDay(day)) {
      if (stream.datetime < first || stream.datetime > last || seen.has(stream.video_id)) continue;
      if (stream.extra?.disappeared_at) continue;
      marks.push({ ...stream, extra: { disappeared_at: stamp, last_updated: stamp } });
    }
  }
  if (marks.length === 0) return 0;
  const counts = await store.streams.upsertMany(marks);
  return counts.updated;
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const date = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(4, 6)) - 1, Number(from.slice(6, 8))));
  for (let i = 0; i < 31; i++) {
    const day = date.toISOString().slice(0, 10).replaceAll('-', '');
    days.push(day);
    if (day >= to) break;
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return days;
}
