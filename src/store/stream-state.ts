// A stream's state of ours — its live status, YouTube's data, when it was first seen, last updated and found gone —
// parsed once where a store reads a stream, and written back where it writes one. Stored as the fields
// `live_status`, `youtube`, `first_seen`, `last_updated` and `disappeared_at` beside the contract's (in SQLite's
// `extra` column, in MongoDB's document); a value of another type under one of those names is not ours and stays in
// `extra`, untouched.
import type { Stream, StreamState, YouTubeData } from './types.js';

const YOUTUBE_TEXT_FIELDS = [
  'status',
  'channel_id',
  'channel_title',
  'published_at',
  'live_broadcast_content',
  'scheduled_start',
  'actual_start',
  'actual_end',
] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** YouTube's data as the collector writes it: an object whose known fields are text (or null, or absent). */
function isYouTubeData(v: unknown): v is YouTubeData {
  if (!isRecord(v)) return false;
  if (v.status !== undefined && typeof v.status !== 'string') return false;
  return YOUTUBE_TEXT_FIELDS.every((f) => v[f] === undefined || v[f] === null || typeof v[f] === 'string');
}

/** The stream with its typed state taken out of `extra`; `extra` keeps the rest (fields holodule does not know). */
export function readStreamState(stream: Stream): Stream {
  const stored = stream.extra;
  if (stored === undefined) return stream;
  const extra = { ...stored };
  const state: StreamState = {};
  if (typeof extra.live_status === 'string') {
    state.liveStatus = extra.live_status;
    delete extra.live_status;
  }
  if (isYouTubeData(extra.youtube)) {
    state.youtube = extra.youtube;
    delete extra.youtube;
  }
  if (typeof extra.first_seen === 'string') {
    state.firstSeen = extra.first_seen;
    delete extra.first_seen;
  }
  if (typeof extra.last_updated === 'string') {
    state.lastUpdated = extra.last_updated;
    delete extra.last_updated;
  }
  if (typeof extra.disappeared_at === 'string' || extra.disappeared_at === null) {
    state.disappearedAt = extra.disappeared_at;
    delete extra.disappeared_at;
  }
  const { extra: _, ...rest } = stream;
  const out: Stream = { ...rest, ...state };
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

/**
 * What a store writes beside the contract's fields: `extra`, with the typed state (where set) over it under its
 * stored names. State left unset is not written, so what is stored stands (the stores merge into what they keep).
 */
export function storedExtraOf(stream: Stream): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = { ...stream.extra };
  // In the order the collector has always written them, so a new stream's stored bytes stay the same.
  if (stream.disappearedAt !== undefined) out.disappeared_at = stream.disappearedAt;
  if (stream.liveStatus !== undefined) out.live_status = stream.liveStatus;
  if (stream.youtube !== undefined) out.youtube = stream.youtube;
  if (stream.firstSeen !== undefined) out.first_seen = stream.firstSeen;
  if (stream.lastUpdated !== undefined) out.last_updated = stream.lastUpdated;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The stream as a store keeps it after writing `next` over `before`: every field of ours merged, the new ones winning. */
export function mergedStream(before: Stream | undefined, next: Stream): Stream {
  if (!before) return next;
  const { extra: _, ...fields } = next;
  return readStreamState({ ...fields, extra: { ...storedExtraOf(before), ...storedExtraOf(next) } });
}
