// The change log in the main SQLite file. AUTOINCREMENT: a sequence is never handed out twice, pruned or not, and
// SQLite's one writer at a time means a reader never sees a later sequence before an earlier one.
import type Database from 'better-sqlite3';
import type { Change, ChangeLogStore, ChangeType, NewChange } from '../types.js';

export const CHANGES_SQL = `
CREATE TABLE IF NOT EXISTS stream_changes (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  type   TEXT NOT NULL,
  talent TEXT NOT NULL,
  at     INTEGER NOT NULL,
  data   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_changes_at ON stream_changes (at);

-- Events tickets already used (their jti), until they expire.
CREATE TABLE IF NOT EXISTS used_tickets (
  id         TEXT PRIMARY KEY NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS used_tickets_expires_at ON used_tickets (expires_at);
`;

interface ChangeRow {
  seq: number;
  type: string;
  talent: string;
  at: number;
  data: string;
}

const toChange = (row: ChangeRow): Change => ({ ...row, type: row.type as ChangeType });

export function sqliteChangeLog(db: Database.Database): ChangeLogStore {
  const insert = db.prepare<{ type: string; talent: string; at: number; data: string }>(
    'INSERT INTO stream_changes (type, talent, at, data) VALUES (@type, @talent, @at, @data)',
  );
  const after = db.prepare<[number, number], ChangeRow>(
    'SELECT seq, type, talent, at, data FROM stream_changes WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const kept = db.prepare<[], { oldest: number | null; newest: number | null }>(
    'SELECT min(seq) AS oldest, max(seq) AS newest FROM stream_changes',
  );
  const issued = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'stream_changes'");
  const pruneOld = db.prepare<[number]>('DELETE FROM stream_changes WHERE at < ?');
  const pruneBeyond = db.prepare<[number]>(
    'DELETE FROM stream_changes WHERE seq <= (SELECT max(seq) FROM stream_changes) - ?',
  );
  const claim = db.prepare<[string, number]>(
    'INSERT INTO used_tickets (id, expires_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING',
  );
  const forgetExpired = db.prepare<[number]>('DELETE FROM used_tickets WHERE expires_at < ?');

  const appendAll = db.transaction((changes: NewChange[], at: number): number[] =>
    changes.map((c) => Number(insert.run({ type: c.type, talent: c.talent, at, data: c.data }).lastInsertRowid)),
  );
  const prune = db.transaction(
    (before: number, keep: number) => pruneOld.run(before).changes + pruneBeyond.run(keep).changes,
  );
  const claimOnce = db.transaction((id: string, expiresAt: number, now: number) => {
    forgetExpired.run(now);
    return claim.run(id, expiresAt).changes === 1;
  });

  return {
    async append(changes, at) {
      return changes.length === 0 ? [] : appendAll(changes, at);
    },
    async after(seq, limit) {
      return after.all(seq, limit).map(toChange);
    },
    async bounds() {
      const { oldest, newest } = kept.get() ?? { oldest: null, newest: null };
      return { oldest, newest, issued: issued.get()?.seq ?? newest ?? 0 };
    },
    async prune(before, keep) {
      return prune(before, keep);
    },
    async claimOnce(id, expiresAt, now) {
      return claimOnce(id, expiresAt, now);
    },
  };
}
