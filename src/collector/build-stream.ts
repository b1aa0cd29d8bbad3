// One schedule card (plus what YouTube, the JSON list and the store already know) → the stream to store.
// The rule throughout: a source that did not answer changes nothing; only answers replace stored values.
import { isDeepStrictEqual } from 'node:util';
import type { StoredCollaborator } from '../store/stream-facets.js';
import { storedExtraOf } from '../store/stream-state.js';
import type { Stream } from '../store/types.js';
import { contractDatetime } from './japan-time.js';
import type { ScheduleCard } from './parse-schedule-page.js';
import type { ListedVideo } from './schedule-list-client.js';
import type { YouTubeVideo } from './youtube-client.js';
import { watchUrl } from './youtube-url.js';

export type YouTubeAnswer = { kind: 'found'; video: YouTubeVideo } | { kind: 'missing' } | { kind: 'none' };

export interface StreamSources {
  card: ScheduleCard;
  /** The page the card was read from. */
  source: string;
  code: string;
  codeGenerated: boolean;
  existing: Stream | undefined;
  youtube: YouTubeAnswer;
  listed: ListedVideo | undefined;
  /** The card's collaborators, named where the page, the list or the directory names them. */
  collaborators: StoredCollaborator[];
}

/** Timestamps of our own, left out when deciding whether anything changed. */
const BOOKKEEPING = new Set(['first_seen', 'last_updated']);

/** The original's cleanup: CR, LF and both quote marks removed, then the first 100 characters (code points). */
export function cleanDescription(text: string): string {
  return Array.from(text.replace(/[\r\n"']/g, ''))
    .slice(0, 100)
    .join('');
}

export function streamKey(code: string, start: Date): string {
  return `${code}_${contractDatetime(start).replace(' ', '_')}`;
}

/** The stream without bookkeeping timestamps; `extra` holds only what this run knows (the store keeps the rest). */
export function buildStream(s: StreamSources): Stream {
  const { card, existing, youtube } = s;
  const found = youtube.kind === 'found' ? youtube.video : undefined;
  const extra: Record<string, unknown> = {
    start_utc: card.start.toISOString(),
    live: card.live,
    thumbnail: card.thumbnail,
    talent_icon: card.talentIcon,
    collaborators: s.collaborators,
    talent_code_generated: s.codeGenerated,
    source: s.source,
  };
  const stream: Stream = {
    key: streamKey(s.code, card.start),
    video_id: card.videoId,
    datetime: contractDatetime(card.start),
    name: card.name,
    title: found?.title || existing?.title || s.listed?.title || '',
    url: watchUrl(card.videoId),
    description: found ? cleanDescription(found.description) : (existing?.description ?? ''),
    extra,
  };
  const liveStatus = liveStatusOf(card, youtube, existing);
  if (liveStatus !== undefined) stream.liveStatus = liveStatus;
  if (found) {
    stream.youtube = {
      status: 'ok',
      channel_id: found.channelId,
      channel_title: found.channelTitle,
      published_at: found.publishedAt,
      live_broadcast_content: found.liveBroadcastContent,
      scheduled_start: found.scheduledStartTime,
      actual_start: found.actualStartTime,
      actual_end: found.actualEndTime,
    };
  } else if (youtube.kind === 'missing') {
    // Private or deleted: say so, and keep every value learnt while it was visible.
    stream.youtube = { ...existing?.youtube, status: 'unavailable' };
  }
  stream.disappearedAt = null;
  return stream;
}

/** YouTube's word when it answered; otherwise the page's red border; nothing when the stored value stands. */
function liveStatusOf(card: ScheduleCard, youtube: YouTubeAnswer, stored: Stream | undefined): string | undefined {
  if (youtube.kind === 'found') {
    const v = youtube.video;
    if (v.actualEndTime) return 'completed';
    if (v.actualStartTime) return 'live';
    return v.liveBroadcastContent;
  }
  if (youtube.kind === 'missing') return 'unavailable';
  if (stored?.youtube?.status === 'ok' && isFinal(stored.liveStatus)) return undefined;
  if (card.live) return 'live';
  // The border went away: it was live, so it is over. Any other stored status stands until a source says more.
  if (stored?.liveStatus === 'live') return 'completed';
  return stored?.liveStatus !== undefined ? undefined : 'upcoming';
}

const isFinal = (status: string | undefined): boolean => status === 'completed' || status === 'none';

/** Nothing left to learn from YouTube: it answered, and the stream is over (or was never live). */
export function isComplete(stream: Stream | undefined): boolean {
  return !!stream && stream.youtube?.status === 'ok' && isFinal(stream.liveStatus) && stream.title !== '';
}

/** Whether storing `next` over `existing` would change anything but bookkeeping. */
export function sameContent(existing: Stream, next: Stream): boolean {
  if (
    existing.key !== next.key ||
    existing.video_id !== next.video_id ||
    existing.datetime !== next.datetime ||
    existing.name !== next.name ||
    existing.title !== next.title ||
    existing.url !== next.url ||
    existing.description !== next.description
  ) {
    return false;
  }
  const stored = storedExtraOf(existing) ?? {};
  return Object.entries(storedExtraOf(next) ?? {}).every(
    ([k, v]) => BOOKKEEPING.has(k) || isDeepStrictEqual(stored[k], v),
  );
}
