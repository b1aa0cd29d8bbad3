// Each day's v1 answer, kept in the file beside the streams (day-answer.ts). Triggers delete a day's answer
// whenever a row of that day changes, whoever writes (this holodule, another instance, an older holodule, the
// sqlite3 shell), so a kept answer is never stale; holodule's own writes build the answers again before they
// commit, and a day without one (a database from before this table, or written by someone else) is built on
// its first read and kept.
import type Database from 'better-sqlite3';
import { type DayAnswer, type DayEncoding, dayOfDatetime, type EncodedDay, encodeDay } from '../day-answer.js';
import type { Stream } from '../types.js';
import { type ChangeStamp, UntilChanged } from './change-stamp.js';

export const DAY_ANSWERS_SQL = `
-- The small compressed bodies first: a column after a large one is reached through its overflow pages.
CREATE TABLE IF NOT EXISTS day_answers (
  day      TEXT PRIMARY KEY NOT NULL,
  tag      TEXT NOT NULL,
  br       BLOB NOT NULL,
  gzip     BLOB NOT NULL,
  identity BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS holodules_day_answer_insert AFTER INSERT ON holodules
BEGIN
  DELETE FROM day_answers WHERE day = substr(NEW.datetime, 1, 8);
END;
CREATE TRIGGER IF NOT EXISTS holodules_day_answer_delete AFTER DELETE ON holodules
BEGIN
  DELETE FROM day_answers WHERE day = substr(OLD.datetime, 1, 8);
END;
-- Only the contract's fields are in the answer: a change of ours alone (extra, facets) keeps it.
CREATE TRIGGER IF NOT EXISTS holodules_day_answer_update AFTER UPDATE ON holodules
WHEN OLD.key IS NOT NEW.key OR OLD.video_id IS NOT NEW.video_id OR OLD.datetime IS NOT NEW.datetime
  OR OLD.name IS NOT NEW.name OR OLD.title IS NOT NEW.title OR OLD.url IS NOT NEW.url
  OR OLD.description IS NOT NEW.description
BEGIN
  DELETE FROM day_answers WHERE day IN (substr(OLD.datetime, 1, 8), substr(NEW.datetime, 1, 8));
END;
`;

export interface SqliteDayAnswers {
  find(day: string, encoding: DayEncoding): DayAnswer | null;
  /** Builds the answers the triggers deleted for these days (call inside the write's transaction). */
  rebuild(days: Iterable<string>): void;
}

/** Days a write touched: the day of every datetime a written row had or has. */
export class TouchedDays extends Set<string> {
  touch(datetime: string | undefined): void {
    if (datetime !== undefined) this.add(dayOfDatetime(datetime));
  }
}

/**
 * Answer bodies kept in memory (each encoding of a day is one): 16 MiB, about 600 days of 40 streams, as is.
 * Beyond that, and after any write to the file, a day is read from the table again (one lookup).
 */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

const isBusyOrReadOnly = (err: unknown): boolean =>
  /^SQLITE_(BUSY|LOCKED|READONLY)(_|$)/.test(String((err as { code?: unknown })?.code));

export function sqliteDayAnswers(
  db: Database.Database,
  loadDay: (day: string) => Stream[],
  stamp: ChangeStamp,
): SqliteDayAnswers {
  const answerIn = {
    identity: db.prepare<[string], DayAnswer>('SELECT tag, identity AS body FROM day_answers WHERE day = ?'),
    gzip: db.prepare<[string], DayAnswer>('SELECT tag, gzip AS body FROM day_answers WHERE day = ?'),
    br: db.prepare<[string], DayAnswer>('SELECT tag, br AS body FROM day_answers WHERE day = ?'),
  };
  const has = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM day_answers WHERE day = ?');
  const save = db.prepare<[string, string, Buffer, Buffer, Buffer]>(
    'INSERT OR REPLACE INTO day_answers (day, tag, br, gzip, identity) VALUES (?, ?, ?, ?, ?)',
  );
  const build = (day: string): EncodedDay | null => {
    const encoded = encodeDay(loadDay(day));
    if (encoded) save.run(day, encoded.tag, encoded.br, encoded.gzip, encoded.identity);
    return encoded;
  };
  // Read and write in one transaction: if another connection commits after the read, SQLite refuses the write
  // (SQLITE_BUSY_SNAPSHOT), so an answer older than its streams is never kept.
  const buildInTransaction = db.transaction(build);

  function buildOnRead(day: string): EncodedDay | null {
    try {
      return buildInTransaction(day);
    } catch (err) {
      // Another writer, or a read-only file: this answer is right for this read; the next read tries again.
      if (!isBusyOrReadOnly(err)) throw err;
      return encodeDay(loadDay(day));
    }
  }

  // The hot day's bytes stay in memory until the file changes: a request then costs no copy out of SQLite.
  const kept = new UntilChanged<DayAnswer | null>(stamp, 4096, (a) => a?.body.length ?? 0, MAX_KEPT_BYTES);
  return {
    find(day, encoding) {
      return kept.get(`${encoding} ${day}`, () => {
        const stored = answerIn[encoding].get(day);
        if (stored !== undefined) return stored;
        const built = buildOnRead(day);
        return built === null ? null : { tag: built.tag, body: built[encoding] };
      });
    },
    rebuild(days) {
      for (const day of days) if (has.get(day) === undefined) build(day);
    },
  };
}
