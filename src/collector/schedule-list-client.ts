// The site's JSON twin of the page (/api/list): used for titles when YouTube gives none.
import { expectOk, getText, RequestError, safeUrl, withRetries, type RequestPolicy } from './http-get.js';
import { videoIdFromUrl } from './youtube-url.js';

export interface ListedVideo {
  videoId: string;
  title: string;
  name: string;
  /** The talent's avatar URL ('' when the list gives none). */
  icon: string;
  live: boolean;
  collaborators: { name: string; icon: string }[];
}

export class ScheduleListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleListError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Videos by id. Entries that are not YouTube videos, or lack fields, are left out rather than guessed. */
export function parseScheduleList(json: unknown): Map<string, ListedVideo> {
  if (!isObject(json) || !Array.isArray(json.dateGroupList)) {
    throw new ScheduleListError('not the schedule list: no dateGroupList array');
  }
  const videos = new Map<string, ListedVideo>();
  for (const group of json.dateGroupList) {
    if (!isObject(group) || !Array.isArray(group.videoList)) continue;
    for (const item of group.videoList) {
      if (!isObject(item)) continue;
      const videoId = videoIdFromUrl(str(item.url));
      if (videoId === null || videos.has(videoId)) continue;
      const talent = isObject(item.talent) ? item.talent : {};
      videos.set(videoId, {
        videoId,
        title: str(item.title),
        name: str(talent.name) || str(item.name),
        icon: str(talent.iconImageUrl),
        live: item.isLive === true,
        collaborators: (Array.isArray(item.collaboTalents) ? item.collaboTalents : [])
          .filter(isObject)
          .map((c) => ({ name: str(c.name), icon: str(c.iconImageUrl) })),
      });
    }
  }
  return videos;
}

export async function fetchScheduleList(
  url: string,
  policy: RequestPolicy,
  signal?: AbortSignal,
): Promise<Map<string, ListedVideo>> {
  const json = await withRetries(
    async () => {
      const { body } = expectOk(url, await getText(url, policy, { signal, headers: { accept: 'application/json' } }));
      try {
        return JSON.parse(body) as unknown;
      } catch {
        // Most often an answer cut short: worth another attempt.
        throw new RequestError(`${safeUrl(url)}: not JSON (cut short?)`, true);
      }
    },
    policy,
    signal,
  );
  return parseScheduleList(json);
}
