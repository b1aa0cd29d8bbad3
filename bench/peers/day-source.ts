// The peers' data: the days they serve, read once at start from the bench's SQLite file, in the same rows, order
// and shape as holodule answers them.
import Database from 'better-sqlite3';

export type DayStreams = Array<Record<string, string>>;

/** The days named by BENCH_DAYS (comma-separated), or BENCH_DAY alone. */
export function benchDays(): string[] {
  return (process.env.BENCH_DAYS ?? process.env.BENCH_DAY ?? '').split(',').filter((d) => d !== '');
}

export function readDays(path: string, days: string[]): Map<string, DayStreams> {
  const db = new Database(path, { readonly: true });
  const byDay = db.prepare<[string, string], Record<string, string>>(
    'SELECT key, video_id, datetime, name, title, url, description FROM holodules ' +
      'WHERE datetime >= ? AND datetime < ? ORDER BY datetime DESC, key DESC',
  );
  const found = new Map(days.map((day) => [day, byDay.all(day, `${day}~`)]));
  db.close();
  return found;
}
