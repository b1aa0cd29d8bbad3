// The day query's answers, kept until the database changes. Reading a day's 30–50 rows of text out of
// SQLite costs ~100 µs; asking whether anything changed costs ~2 µs, and days are read far more than written.
// `data_version` moves when any other connection commits (another process: `holodule collect`, a second
// instance); `total_changes()` when this connection writes. Either moving empties the whole cache.
import type Database from 'better-sqlite3';
import type { Stream } from '../types.js';

const MAX_DAYS = 64;

function deepFreeze(stream: Stream): Stream {
  if (stream.extra) Object.freeze(stream.extra);
  return Object.freeze(stream);
}

/** `load(day)` through a cache; the arrays it returns are frozen, since every caller shares them. */
export function cachedDays(db: Database.Database, load: (day: string) => Stream[]): (day: string) => Stream[] {
  const versionOf = db.prepare<[], [number, number]>('SELECT data_version, total_changes() FROM pragma_data_version').raw();
  const days = new Map<string, Stream[]>();
  let dataVersion = -1;
  let changes = -1;

  return (day) => {
    const [nowDataVersion, nowChanges] = versionOf.get()!;
    if (nowDataVersion !== dataVersion || nowChanges !== changes) {
      days.clear();
      dataVersion = nowDataVersion;
      changes = nowChanges;
    }
    let streams = days.get(day);
    if (streams === undefined) {
      streams = Object.freeze(load(day).map(deepFreeze)) as Stream[];
      // Oldest first out: Map keeps insertion order.
      if (days.size >= MAX_DAYS) days.delete(days.keys().next().value!);
      days.set(day, streams);
    }
    return streams;
  };
}
