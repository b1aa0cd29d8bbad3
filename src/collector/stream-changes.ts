// What a collect run did to each stream, as change-log entries (GET /api/v2/events): added, updated (title, time,
// description or collaborators), gone live, ended, missing. Bookkeeping (YouTube's other fields) makes none.
import { isDeepStrictEqual } from 'node:util';
import { streamResource } from '../domain/stream-view.js';
import { collaboratorsOf, startUtcOf, statusOf, talentCodeOf } from '../store/stream-facets.js';
import { mergedStream } from '../store/stream-state.js';
import type { ChangeType, NewChange, Stream, StreamStatus } from '../store/types.js';
import type { TalentDirectory } from '../talents/directory.js';

/** A stream before a write (none: new) and as stored after it (`extra` merged, as both stores merge it). */
export interface StreamWrite {
  before: Stream | undefined;
  after: Stream;
}

const STATUS_CHANGES: Record<StreamStatus, ChangeType> = {
  live: 'stream.live',
  ended: 'stream.ended',
  missing: 'stream.missing',
  upcoming: 'stream.updated',
};

/** The stream as the store keeps it after writing `next` over `before`: our own fields merged, the new ones winning. */
export const asStored = (before: Stream | undefined, next: Stream): Stream => mergedStream(before, next);

/** What a client can tell apart, with the values it had before. */
function differences(before: Stream, after: Stream): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  if (statusOf(before) !== statusOf(after)) previous.status = statusOf(before);
  if (startUtcOf(before) !== startUtcOf(after)) previous.start = startUtcOf(before) || null;
  if (before.title !== after.title) previous.title = before.title;
  if (before.description !== after.description) previous.description = before.description;
  if (!isDeepStrictEqual(collaboratorsOf(before), collaboratorsOf(after)))
    previous.collaborators = collaboratorsOf(before);
  return previous;
}

/** The change-log entry for one write, or null when nothing a client sees changed. */
export function changeOf({ before, after }: StreamWrite, talents: TalentDirectory): NewChange | null {
  const stream = streamResource(after, talents);
  const talent = talentCodeOf(after.key);
  if (!before) return { type: 'stream.added', talent, data: JSON.stringify({ stream }) };
  const previous = differences(before, after);
  const changed = Object.keys(previous);
  if (changed.length === 0) return null;
  const type = 'status' in previous ? STATUS_CHANGES[statusOf(after)] : 'stream.updated';
  return { type, talent, data: JSON.stringify({ stream, changed, previous }) };
}
