// The day query's answers (and, keyed by the query, the v2 queries'), kept until the database changes. Reading a day's 30–50 rows of text out of
// SQLite costs ~100 µs; asking whether anything changed costs ~2 µs, and days are read far more than written.
// `data_version` moves when any other connection commits (another process: `holodule collect`, a second
// instance); `total_changes()` when this connection writes. Either moving empties the cache.
import type { Stream } from '../types.js';
import type { ChangeStamp } from './change-stamp.js';

const MAX_DAYS = 64;

function deepFreeze(stream: Stream): Stream {
  if (stream.extra) Object.freeze(stream.extra);
  if (stream.youtube) Object.freeze(stream.youtube);
  return Object.freeze(stream);
}

/** `load(day)` through a cache; the arrays it keeps are frozen, since every caller shares them. */
export function cachedDays(stamp: ChangeStamp, load: (day: string) => Stream[]): (day: string) => Stream[] {
  const days = new Map<string, Stream[]>();
  // Days asked once and not kept yet. A day is kept when asked again: a client walking through many days once
  // would otherwise push out the days everyone asks for and leave the garbage collector a full cache to churn.
  const askedOnce = new Set<string>();
  let dataVersion = -1;
  let changes = -1;

  return (day) => {
    const nowDataVersion = stamp.othersCommits();
    const nowChanges = stamp.ownChanges();
    if (nowDataVersion !== dataVersion || nowChanges !== changes) {
      // The days kept so far were the popular ones: they are kept again on their next miss.
      for (const kept of days.keys()) askedOnce.add(kept);
      days.clear();
      dataVersion = nowDataVersion;
      changes = nowChanges;
    }
    const kept = days.get(day);
    if (kept !== undefined) return kept;
    if (!askedOnce.has(day)) {
      if (askedOnce.size >= MAX_DAYS) askedOnce.clear();
      askedOnce.add(day);
      return load(day);
    }
    askedOnce.delete(day);
    const streams = Object.freeze(load(day).map(deepFreeze)) as Stream[];
    // Oldest first out: Map keeps insertion order.
    if (days.size >= MAX_DAYS) days.delete(days.keys().next().value!);
    days.set(day, streams);
    return streams;
  };
}
