// YouTube Data API v3 videos.list: titles, descriptions and live times, 50 ids a call (1 quota unit each).
// One client lives as long as the process, so a refusal pauses it across runs and is logged once.
import type { Logger } from 'pino';
import { getText, RequestError, safeUrl, withRetries, type RequestPolicy, type TextResponse } from './http-get.js';

export interface YouTubeVideo {
  id: string;
  title: string;
  description: string;
  channelId: string;
  channelTitle: string;
  publishedAt: string | null;
  /** none | upcoming | live | completed */
  liveBroadcastContent: string;
  scheduledStartTime: string | null;
  actualStartTime: string | null;
  actualEndTime: string | null;
}

export interface VideoLookup {
  found: Map<string, YouTubeVideo>;
  /** Asked, and absent from a good answer: private or deleted. */
  missing: Set<string>;
  /** Not answered (paused, quota, key, 5xx, timeout): keep what is known about them. */
  unanswered: Set<string>;
}

export type YouTubeProblem = 'quota' | 'rate-limit' | 'key' | 'unreachable' | 'refused';

export interface YouTubeClientOptions {
  apiKey: string;
  baseUrl: string;
  policy: RequestPolicy;
  log: Logger;
  now?: () => number;
  /** Told of each call made (each costs quota units), for the metrics. */
  onQuotaUsed?: (units: number) => void;
}

export const MAX_IDS_PER_CALL = 50;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PROBLEMS: Record<YouTubeProblem, { firstPauseMs: number; maxPauseMs: number; message: string }> = {
  quota: {
    firstPauseMs: 0,
    maxPauseMs: 0,
    message: 'YouTube API quota exceeded: no YouTube data until it resets (midnight Pacific time)',
  },
  'rate-limit': { firstPauseMs: MINUTE, maxPauseMs: HOUR, message: 'YouTube API rate limit: backing off' },
  key: {
    firstPauseMs: HOUR,
    maxPauseMs: 24 * HOUR,
    message: 'YouTube API key refused (YOUTUBE_API_KEY / API_KEY): backing off',
  },
  unreachable: {
    firstPauseMs: 5 * MINUTE,
    maxPauseMs: HOUR,
    message: 'YouTube API unreachable (timeouts or 5xx): backing off',
  },
  refused: { firstPauseMs: 15 * MINUTE, maxPauseMs: 6 * HOUR, message: 'YouTube API refused the request: backing off' },
};

class YouTubeError extends Error {
  constructor(
    readonly problem: YouTubeProblem,
    detail: string,
  ) {
    super(detail);
    this.name = 'YouTubeError';
  }
}

export class YouTubeClient {
  private readonly now: () => number;
  private pausedUntilMs = 0;
  private failures = 0;
  private reported: YouTubeProblem | null = null;

  constructor(private readonly options: YouTubeClientOptions) {
    this.now = options.now ?? Date.now;
  }

  /** When the client will ask again after a refusal; null when it is not paused. */
  get pausedUntil(): Date | null {
    return this.pausedUntilMs > this.now() ? new Date(this.pausedUntilMs) : null;
  }

  async lookup(ids: readonly string[], signal?: AbortSignal): Promise<VideoLookup> {
    const result: VideoLookup = { found: new Map(), missing: new Set(), unanswered: new Set() };
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += MAX_IDS_PER_CALL) {
      const batch = unique.slice(i, i + MAX_IDS_PER_CALL);
      if (this.pausedUntil) {
        for (const id of unique.slice(i)) result.unanswered.add(id);
        this.options.log.debug(
          { pausedUntil: this.pausedUntil, ids: unique.length - i },
          'YouTube API paused: skipped',
        );
        break;
      }
      try {
        const videos = await this.fetchBatch(batch, signal);
        for (const id of batch) {
          const video = videos.get(id);
          if (video) result.found.set(id, video);
          else result.missing.add(id);
        }
        this.recovered();
      } catch (err) {
        if (!(err instanceof YouTubeError)) throw err;
        for (const id of unique.slice(i)) result.unanswered.add(id);
        this.pause(err);
        break;
      }
    }
    return result;
  }

  private async fetchBatch(ids: string[], signal?: AbortSignal): Promise<Map<string, YouTubeVideo>> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const query = new URLSearchParams({
      part: 'snippet,liveStreamingDetails',
      id: ids.join(','),
      maxResults: String(MAX_IDS_PER_CALL),
      key: this.options.apiKey,
    });
    const url = `${base}/videos?${query}`;
    let response: TextResponse;
    try {
      response = await withRetries(
        async () => {
          this.options.onQuotaUsed?.(1);
          const answer = await getText(url, this.options.policy, { signal, headers: { accept: 'application/json' } });
          if (answer.status >= 500)
            throw new RequestError(`${safeUrl(url)}: HTTP ${answer.status}`, true, answer.status);
          return answer;
        },
        this.options.policy,
        signal,
      );
    } catch (err) {
      if (err instanceof RequestError) throw new YouTubeError('unreachable', err.message);
      throw err;
    }
    const body = parseJson(response.body);
    if (response.status !== 200) throw classify(response.status, body);
    const items = isObject(body) ? body.items : undefined;
    // A 200 without an items array is not an answer: treating it as "all missing" would mark good videos deleted.
    if (!Array.isArray(items)) throw new YouTubeError('unreachable', `${safeUrl(url)}: answer without an items array`);
    const videos = new Map<string, YouTubeVideo>();
    for (const item of items) {
      const video = toVideo(item);
      if (video) videos.set(video.id, video);
    }
    return videos;
  }

  private pause(err: YouTubeError): void {
    const now = this.now();
    const problem = PROBLEMS[err.problem];
    this.failures++;
    this.pausedUntilMs =
      err.problem === 'quota'
        ? now + msUntilPacificMidnight(now)
        : now + Math.min(problem.maxPauseMs, problem.firstPauseMs * 2 ** (this.failures - 1));
    if (this.reported !== err.problem) {
      this.reported = err.problem;
      this.options.log.warn(
        { problem: err.problem, detail: err.message, pausedUntil: new Date(this.pausedUntilMs) },
        problem.message,
      );
    }
  }

  private recovered(): void {
    if (this.reported !== null) this.options.log.info({ after: this.reported }, 'YouTube API answers again');
    this.reported = null;
    this.failures = 0;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optionalStr = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Google's error body: {"error": {"code", "message", "errors": [{"reason"}]}}. */
function classify(status: number, body: unknown): YouTubeError {
  const error = isObject(body) && isObject(body.error) ? body.error : {};
  const reasons = (Array.isArray(error.errors) ? error.errors : []).filter(isObject).map((e) => str(e.reason));
  const message = str(error.message);
  const detail = `HTTP ${status} ${reasons.join(',')} ${message}`.trim();
  if (reasons.some((r) => r === 'quotaExceeded' || r === 'dailyLimitExceeded'))
    return new YouTubeError('quota', detail);
  if (reasons.some((r) => r === 'rateLimitExceeded' || r === 'userRateLimitExceeded') || status === 429) {
    return new YouTubeError('rate-limit', detail);
  }
  if (
    reasons.some((r) =>
      ['keyInvalid', 'keyExpired', 'accessNotConfigured', 'ipRefererBlocked', 'forbidden'].includes(r),
    ) ||
    /api key/i.test(message) ||
    status === 401
  ) {
    return new YouTubeError('key', detail);
  }
  return new YouTubeError('refused', detail);
}

function toVideo(item: unknown): YouTubeVideo | null {
  if (!isObject(item) || typeof item.id !== 'string' || !isObject(item.snippet)) return null;
  const snippet = item.snippet;
  const live = isObject(item.liveStreamingDetails) ? item.liveStreamingDetails : {};
  return {
    id: item.id,
    title: str(snippet.title),
    description: str(snippet.description),
    channelId: str(snippet.channelId),
    channelTitle: str(snippet.channelTitle),
    publishedAt: optionalStr(snippet.publishedAt),
    liveBroadcastContent: str(snippet.liveBroadcastContent) || 'none',
    scheduledStartTime: optionalStr(live.scheduledStartTime),
    actualStartTime: optionalStr(live.actualStartTime),
    actualEndTime: optionalStr(live.actualEndTime),
  };
}

/** The daily quota resets at midnight Pacific time. */
export function msUntilPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(now));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = (part('hour') * 3600 + part('minute') * 60 + part('second')) * 1000;
  return 24 * HOUR - elapsed + MINUTE;
}
