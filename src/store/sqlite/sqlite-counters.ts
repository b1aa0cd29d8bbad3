// Hit counters in a SQLite file of their own beside the main one. Not in the main file: the day cache
// (day-cache.ts) is emptied by any write to it, and an anonymous read must not cost every reader the cache.
import Database from 'better-sqlite3';
import type { CounterStore } from '../types.js';

const COUNTERS_SQL = `
CREATE TABLE IF NOT EXISTS hit_counters (
  key      TEXT PRIMARY KEY NOT NULL,
  count    INTEGER NOT NULL,
  reset_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hit_counters_reset_at ON hit_counters (reset_at);
`;

/** `holodule.sqlite` → `holodule-counters.sqlite`, in the same directory. */
export const countersPath = (path: string): string =>
  path === ':memory:' ? path : `${path.replace(/\.(sqlite3?|db)$/i, '')}-counters.sqlite`;

/** Opens the counters file on first use, so a deployment that never counts never gets one. */
export function sqliteCounterStore(path: string): CounterStore & { close(): void } {
  let db: Database.Database | undefined;
  let hit: Database.Statement<{ key: string; now: number; resetAt: number }, { count: number; reset_at: number }>;
  let prune: Database.Statement<[number]>;
  let closed = false;

  const open = (): void => {
    if (db) return;
    if (closed) throw new TypeError('The database connection is not open');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // Counters are throwaway: a crash may lose the last hits, never the main database's data.
    db.pragma('synchronous = OFF');
    db.pragma('busy_timeout = 5000');
    db.exec(COUNTERS_SQL);
    // One statement: two instances on the file cannot both start a window or lose a hit.
    hit = db.prepare(
      `INSERT INTO hit_counters (key, count, reset_at) VALUES (@key, 1, @resetAt)
       ON CONFLICT(key) DO UPDATE SET
         count = CASE WHEN reset_at <= @now THEN 1 ELSE count + 1 END,
         reset_at = CASE WHEN reset_at <= @now THEN @resetAt ELSE reset_at END
       RETURNING count, reset_at`,
    );
    prune = db.prepare('DELETE FROM hit_counters WHERE reset_at < ?');
  };

  return {
    async hit(key, windowMs, now) {
      open();
      const row = hit.get({ key, now, resetAt: now + windowMs })!;
      return { count: row.count, resetAt: row.reset_at };
    },
    async prune(now) {
      open();
      return prune.run(now).changes;
    },
    close() {
      closed = true;
      if (db?.open) db.close();
      db = undefined;
    },
  };
}
