// The collect job: read the schedule page(s), ask YouTube about what is not settled yet, store the result.
// Safe to run any number of times: it only upserts, never deletes, and a source that fails changes nothing.
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config.js';
import type { Store, Stream, TalentRecord } from '../store/types.js';
import { buildStream, isComplete, sameContent, streamKey, type YouTubeAnswer } from './build-stream.js';
import type { RequestPolicy } from './http-get.js';
import { markDisappeared } from './mark-disappeared.js';
import { asStored, changeOf, type StreamWrite } from './stream-changes.js';
import { avatarNames } from './name-collaborators.js';
import type { ScheduleCard } from './parse-schedule-page.js';
import { fetchScheduleList, type ListedVideo } from './schedule-list-client.js';
import { fetchSchedulePage } from './schedule-page-client.js';
import { TalentDirectory, type TalentCode } from '../talents/directory.js';
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
  /** The directory to use; default: talents.json with the store's records, read at the start of every run. */
  talents?: TalentDirectory;
  now?: () => Date;
  /** Told of the YouTube quota units each call spends, for the metrics. */
  onQuotaUsed?: (units: number) => void;
}

export interface CollectRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
}

export interface Collector {
  collect(options?: CollectRunOptions): Promise<CollectResult>;
}

/** A card from the page, with what is needed to store it: its talent code and what is stored for its video. */
interface Candidate {
  card: ScheduleCard;
  source: string;
  code: TalentCode;
  existing: Stream | undefined;
}

interface PagesRead {
  cards: { card: ScheduleCard; source: string }[];
  /** Every page was read and showed at least one stream: only then may absence mean "gone". */
  complete: boolean;
}

interface Plan {
  writes: Stream[];
  moves: { from: string; stream: Stream }[];
  /** Every write and move, with the stream before it, for the change log. */
  changes: StreamWrite[];
}

export function createCollector(options: CollectorOptions): Collector {
  const { store, config, log } = options;
  const now = options.now ?? (() => new Date());
  let talents = options.talents ?? new TalentDirectory();
  const policy: RequestPolicy = {
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    retryDelayMs: config.retryDelayMs,
  };
  // Kept for the process's life, so a quota or key refusal pauses YouTube across runs and is logged once.
  const youtube = config.youtubeApiKey
    ? new YouTubeClient({
        apiKey: config.youtubeApiKey,
        baseUrl: config.youtubeApiUrl,
        policy,
        log,
        now: () => now().getTime(),
        ...(options.onQuotaUsed ? { onQuotaUsed: options.onQuotaUsed } : {}),
      })
    : null;
  const reportedUnknown = new Set<string>();

  async function collect({ signal, onProgress }: CollectRunOptions = {}): Promise<CollectResult> {
    const stamp = now().toISOString();
    const result: CollectResult = {
      new: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      moved: 0,
      marked: 0,
      pages: [],
    };

    const pages = await readPages(result, signal, onProgress);
    if (pages.cards.length === 0) {
      log.warn({ pages: result.pages }, 'no streams read from the schedule; nothing stored or marked');
      return result;
    }
    // An admin's corrections made since the last run apply to this one.
    const records = await store.talents.list();
    if (!options.talents) talents = new TalentDirectory(records);
    const candidates = await withStoredState(pages.cards);
    const lookup = await askYouTube(candidates, signal, onProgress);
    const listed = await readListForTitles(candidates, lookup, signal, onProgress);
    const plan = decide(candidates, lookup, listed, stamp, result);
    await recordSightings(candidates, listed, records);

    onProgress?.({ step: 'store', streams: plan.writes.length + plan.moves.length });
    await apply(plan, result);
    const written = [...plan.changes];
    if (pages.complete) {
      const marks = await markDisappeared(
        store,
        pages.cards.map((c) => c.card),
        stamp,
      );
      result.marked = marks.length;
      written.push(...marks);
    }
    await appendChanges(written);

    log.info({ ...result, pages: result.pages.length }, 'collect finished');
    return result;
  }

  async function readPages(
    result: CollectResult,
    signal?: AbortSignal,
    onProgress?: CollectRunOptions['onProgress'],
  ): Promise<PagesRead> {
    const byVideo = new Map<string, { card: ScheduleCard; source: string }>();
    let complete = true;
    for (const [index, url] of config.pageUrls.entries()) {
      onProgress?.({ step: 'page', url, index, total: config.pageUrls.length });
      try {
        const parsed = await fetchSchedulePage(url, policy, now, signal);
        result.pages.push({ url, streams: parsed.cards.length });
        result.skipped += parsed.skipped.length;
        for (const skip of parsed.skipped) log.debug({ url, ...skip }, 'schedule card skipped');
        if (parsed.cards.length === 0) complete = false;
        // A video on several pages (all groups, and its own group) is stored once, from the first page.
        for (const card of parsed.cards)
          if (!byVideo.has(card.videoId)) byVideo.set(card.videoId, { card, source: url });
      } catch (err) {
        if (signal?.aborted) throw err;
        complete = false;
        result.failed++;
        const message = err instanceof Error ? err.message : String(err);
        result.pages.push({ url, streams: 0, error: message });
        log.warn({ url, err: message }, 'schedule page not collected; stored streams left as they are');
      }
    }
    return { cards: [...byVideo.values()], complete };
  }

  async function withStoredState(cards: PagesRead['cards']): Promise<Candidate[]> {
    const stored = groupByVideo(await store.streams.findByVideoIds(cards.map((c) => c.card.videoId)));
    return cards.map(({ card, source }) => {
      const code = codeFor(card.name);
      const versions = stored.get(card.videoId) ?? [];
      const key = streamKey(code.code, card.start);
      return { card, source, code, existing: versions.find((s) => s.key === key) ?? versions[0] };
    });
  }

  function codeFor(name: string): TalentCode {
    const code = talents.codeFor(name);
    if (!code.known && !reportedUnknown.has(name)) {
      reportedUnknown.add(name);
      log.warn(
        { name, code: code.code },
        'talent not in talents.json: stored under a generated code (add it to keep codes meaningful)',
      );
    }
    return code;
  }

  async function askYouTube(
    candidates: Candidate[],
    signal?: AbortSignal,
    onProgress?: CollectRunOptions['onProgress'],
  ): Promise<VideoLookup | null> {
    if (!youtube) return null;
    // Streams YouTube already reported as over are not asked again: the quota is 10,000 units a day.
    const ask = candidates.filter((c) => !isComplete(c.existing)).map((c) => c.card.videoId);
    if (ask.length === 0) return null;
    onProgress?.({ step: 'youtube', ids: ask.length });
    return youtube.lookup(ask, signal);
  }

  async function readListForTitles(
    candidates: Candidate[],
    lookup: VideoLookup | null,
    signal?: AbortSignal,
    onProgress?: CollectRunOptions['onProgress'],
  ): Promise<Map<string, ListedVideo>> {
    const untitled = candidates.some((c) => !lookup?.found.get(c.card.videoId)?.title && !c.existing?.title);
    if (!untitled || !config.listUrl) return new Map();
    onProgress?.({ step: 'list' });
    try {
      return await fetchScheduleList(config.listUrl, policy, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      log.warn(
        { url: config.listUrl, err: err instanceof Error ? err.message : String(err) },
        'schedule list not read; titles stay as they are',
      );
      return new Map();
    }
  }

  function decide(
    candidates: Candidate[],
    lookup: VideoLookup | null,
    listed: Map<string, ListedVideo>,
    stamp: string,
    result: CollectResult,
  ): Plan {
    const plan: Plan = { writes: [], moves: [], changes: [] };
    const keys = new Map<string, string>();
    const avatars = avatarNames(
      candidates.map((c) => c.card),
      listed,
      talents,
    );
    for (const { card, source, code, existing } of candidates) {
      const next = buildStream({
        card,
        source,
        code: code.code,
        codeGenerated: !code.known,
        existing,
        youtube: answerFor(lookup, card.videoId),
        listed: listed.get(card.videoId),
        collaborators: avatars.collaboratorsOf(card, listed.get(card.videoId)),
      });
      const holder = keys.get(next.key);
      if (holder !== undefined) {
        result.skipped++;
        log.warn(
          { key: next.key, videoId: card.videoId, keptVideoId: holder },
          'two streams share a key (same talent, same minute): kept the first',
        );
        continue;
      }
      keys.set(next.key, card.videoId);
      if (existing && sameContent(existing, next)) {
        result.unchanged++;
        continue;
      }
      next.firstSeen = existing?.firstSeen ?? stamp;
      next.lastUpdated = stamp;
      if (existing && existing.key !== next.key) plan.moves.push({ from: existing.key, stream: next });
      else plan.writes.push(next);
      plan.changes.push({ before: existing, after: asStored(existing, next) });
    }
    return plan;
  }

  /**
   * Remembers the name and avatar each talent was last shown with: a name the directory lacks is then listed under
   * the group `unknown` for an admin to fix, and an avatar names that talent when it appears as a collaborator.
   */
  async function recordSightings(
    candidates: Candidate[],
    listed: Map<string, ListedVideo>,
    records: TalentRecord[],
  ): Promise<void> {
    const seen = new Map<string, { seen_name: string; seen_avatar?: string }>();
    for (const { card, code } of candidates)
      seen.set(code.code, { seen_name: card.name, ...(card.talentIcon ? { seen_avatar: card.talentIcon } : {}) });
    for (const video of listed.values())
      for (const c of video.collaborators)
        if (c.name && c.icon && !seen.has(talents.codeFor(c.name).code))
          seen.set(talents.codeFor(c.name).code, { seen_name: c.name, seen_avatar: c.icon });
    const stored = new Map(records.map((r) => [r.code, r]));
    for (const [code, sighting] of seen) {
      const before = stored.get(code);
      if (
        before?.seen_name === sighting.seen_name &&
        before.seen_avatar === (sighting.seen_avatar ?? before.seen_avatar)
      )
        continue;
      await store.talents.update(code, sighting);
    }
  }

  async function apply(plan: Plan, result: CollectResult): Promise<void> {
    for (const move of plan.moves) {
      await store.streams.moveStream(move.from, move.stream);
      result.moved++;
      result.updated++;
      log.info(
        { videoId: move.stream.video_id, from: move.from, to: move.stream.key },
        'stream rescheduled: moved to its new key',
      );
    }
    const counts = await store.streams.upsertMany(plan.writes);
    result.new += counts.inserted;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
  }

  /** After the stream writes: what a client of GET /api/v2/events hears, then the log kept within its bounds. */
  async function appendChanges(written: StreamWrite[]): Promise<void> {
    const changes = written.flatMap((w) => changeOf(w, talents) ?? []);
    const at = Date.now();
    if (changes.length > 0) await store.changes.append(changes, at);
    await store.changes.prune(at - config.changeRetentionMs, config.changeLogMaxEntries);
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
