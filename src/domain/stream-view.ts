// A stored stream as v2 shows it: times in RFC 3339 UTC, the talent and collaborators named by the directory.
import { collaboratorsOf, startUtcOf, statusOf, talentCodeOf, thumbnailOf } from '../store/stream-facets.js';
import type { Stream, StreamStatus } from '../store/types.js';
import { type TalentDirectory, UNKNOWN_GROUP } from '../talents/directory.js';
import { rfc3339OrNull } from './rfc3339.js';

export interface StreamResource {
  video_id: string;
  key: string;
  start: string | null;
  datetime: string;
  talent: { code: string; name: string; group: string };
  collaborators: Array<{ code: string | null; name: string | null; avatar: string | null }>;
  title: string;
  description: string;
  url: string;
  thumbnail: string;
  status: StreamStatus;
  actual_start: string | null;
  actual_end: string | null;
  updated_at: string | null;
}

export function streamResource(stream: Stream, talents: TalentDirectory): StreamResource {
  const youtube = stream.youtube ?? {};
  const code = talentCodeOf(stream.key);
  const talent = talents.talent(code);
  return {
    video_id: stream.video_id,
    key: stream.key,
    start: rfc3339OrNull(startUtcOf(stream)),
    datetime: stream.datetime,
    talent: { code, name: talent?.name ?? stream.name, group: talent?.group ?? UNKNOWN_GROUP.id },
    // An admin's name for a collaborator's code wins over the name stored when the stream was collected.
    collaborators: collaboratorsOf(stream).map((c) => ({
      code: c.code,
      name: (c.code ? talents.talent(c.code)?.name : undefined) ?? c.name,
      avatar: c.avatar,
    })),
    title: stream.title,
    description: stream.description,
    url: stream.url,
    thumbnail: thumbnailOf(stream),
    status: statusOf(stream),
    actual_start: rfc3339OrNull(youtube.actual_start),
    actual_end: rfc3339OrNull(youtube.actual_end),
    updated_at: rfc3339OrNull(stream.lastUpdated ?? stream.firstSeen),
  };
}
