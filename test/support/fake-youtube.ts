// The YouTube Data API v3 videos.list, answered locally in Google's format (errors included).
import type { FixtureServer, Reply } from './fixture-http-server.js';

export interface FakeVideo {
  id: string;
  title: string;
  description?: string;
  liveBroadcastContent?: 'none' | 'upcoming' | 'live' | 'completed';
  scheduledStartTime?: string;
  actualStartTime?: string;
  actualEndTime?: string;
}

export const youtubeError = (code: number, reason: string, message: string): Reply => ({
  status: code,
  body: { error: { code, message, errors: [{ message, domain: 'youtube.quota', reason }] } },
});

export const QUOTA_EXCEEDED = youtubeError(
  403,
  'quotaExceeded',
  'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
);
export const KEY_INVALID = youtubeError(400, 'keyInvalid', 'API key not valid. Please pass a valid API key.');
export const SERVER_ERROR: Reply = {
  status: 500,
  body: { error: { code: 500, message: 'Backend Error', errors: [{ reason: 'backendError' }] } },
};

export class FakeYouTube {
  readonly videos = new Map<string, FakeVideo>();
  /** The ids of each call that reached the API, in order. */
  readonly calls: string[][] = [];
  private scripted: Reply[] = [];

  constructor(
    server: FixtureServer,
    readonly key = 'test-api-key',
  ) {
    server.handle('/youtube/v3/videos', (_req, url) => this.answer(url));
    this.baseUrl = `${server.url}/youtube/v3`;
  }

  readonly baseUrl: string;

  add(...videos: FakeVideo[]): void {
    for (const v of videos) this.videos.set(v.id, v);
  }

  /** The next calls get these replies instead of a normal answer, one each. */
  script(...replies: Reply[]): void {
    this.scripted.push(...replies);
  }

  /** Call number `n` (1 for the first) gets this reply. */
  scriptCall(n: number, reply: Reply): void {
    this.byCall.set(n, reply);
  }

  private readonly byCall = new Map<number, Reply>();

  private answer(url: URL): Reply {
    const ids = (url.searchParams.get('id') ?? '').split(',').filter((id) => id !== '');
    this.calls.push(ids);
    const scripted = this.byCall.get(this.calls.length) ?? this.scripted.shift();
    if (scripted) return scripted;
    if (url.searchParams.get('key') !== this.key) return KEY_INVALID;
    if (url.searchParams.get('part') !== 'snippet,liveStreamingDetails')
      return youtubeError(400, 'invalidPart', 'bad part');
    if (ids.length > 50) return youtubeError(400, 'tooManyIds', 'too many ids');
    return {
      body: {
        kind: 'youtube#videoListResponse',
        etag: 'fixture',
        items: ids.flatMap((id) => {
          const v = this.videos.get(id);
          if (!v) return [];
          return [
            {
              kind: 'youtube#video',
              etag: 'fixture',
              id,
              snippet: {
                publishedAt: '2020-12-01T00:00:00Z',
                channelId: `UC-${id}`,
                title: v.title,
                description: v.description ?? '',
                thumbnails: { medium: { url: `https://i.ytimg.com/vi/${id}/mqdefault.jpg`, width: 320, height: 180 } },
                channelTitle: 'Channel',
                liveBroadcastContent: v.liveBroadcastContent ?? 'upcoming',
              },
              liveStreamingDetails: {
                ...(v.scheduledStartTime ? { scheduledStartTime: v.scheduledStartTime } : {}),
                ...(v.actualStartTime ? { actualStartTime: v.actualStartTime } : {}),
                ...(v.actualEndTime ? { actualEndTime: v.actualEndTime } : {}),
              },
            },
          ];
        }),
        pageInfo: { totalResults: ids.length, resultsPerPage: ids.length },
      },
    };
  }
}
