// The v2 stream query in SQL, and the migration that gives an older database its facet columns.
import type Database from 'better-sqlite3';
import { facetsOf, seekRange } from '../stream-facets.js';
import type { StreamQuery } from '../types.js';
import { FACET_COLUMNS } from './schema.js';
import { type StreamRow, toStream } from './stream-rows.js';

const COLUMNS = 'key, video_id, datetime, name, title, url, description, extra';

const list = (values: readonly string[]): string => values.map(() => '?').join(', ');

/** The statement and its parameters; exported so a test can read its plan for every shape of query. */
export function streamQuerySql(query: StreamQuery): { sql: string; params: unknown[] } {
  const range = seekRange(query);
  const where = ['start_utc >= ?', range.toInclusive ? 'start_utc <= ?' : 'start_utc < ?'];
  const params: unknown[] = [range.from, range.to];
  if (query.talents !== undefined) {
    where.push(query.talents.length === 0 ? '0' : `talent IN (${list(query.talents)})`);
    params.push(...query.talents);
  }
  if (query.statuses !== undefined) {
    where.push(query.statuses.length === 0 ? '0' : `status IN (${list(query.statuses)})`);
    params.push(...query.statuses);
  }
  if (query.text !== undefined) {
    const { needle, talents } = query.text;
    where.push(
      talents.length === 0 ? 'instr(search, ?) > 0' : `(instr(search, ?) > 0 OR talent IN (${list(talents)}))`,
    );
    params.push(needle, ...talents);
  }
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  if (query.after !== undefined) {
    where.push(`(start_utc, key) ${query.order === 'desc' ? '<' : '>'} (?, ?)`);
    params.push(query.after.start, query.after.key);
  }
  params.push(query.limit);
  return {
    sql: `SELECT ${COLUMNS} FROM holodules WHERE ${where.join(' AND ')} ORDER BY start_utc ${direction}, key ${direction} LIMIT ?`,
    params,
  };
}

/** Adds the facet columns a database made before them lacks, and fills them for every row, in one transaction. */
export function addFacetColumns(db: Database.Database): void {
  const present = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('holodules')")
      .all()
      .map((c) => c.name),
  );
  const missing = FACET_COLUMNS.filter((c) => !present.has(c));
  const unfilled = db.prepare<[], StreamRow>(
    `SELECT ${COLUMNS} FROM holodules WHERE ${missing.length > 0 ? '1' : 'start_utc IS NULL'}`,
  );
  db.transaction(() => {
    for (const column of missing) db.exec(`ALTER TABLE holodules ADD COLUMN ${column} TEXT`);
    const fill = db.prepare(
      'UPDATE holodules SET start_utc = @start, talent = @talent, status = @status, search = @search WHERE key = @key',
    );
    for (const row of unfilled.all()) fill.run({ key: row.key, ...facetsOf(toStream(row)) });
  })();
}
