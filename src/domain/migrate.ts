// Copying users, talent records and streams from one store to another (SQLite <-> MongoDB), idempotent on re-run.
import type { Store, UpsertCounts } from '../store/types.js';

export interface MigrateProgress {
  phase: 'users' | 'streams';
  done: number;
  total: number;
}

export interface MigrateReport {
  users: { added: number; kept: number };
  /** Talent records (names met, an admin's corrections) copied over the target's. */
  talents: number;
  streams: UpsertCounts;
}

export interface MigrateOptions {
  /** Streams per read and per write. */
  batchSize?: number;
  onProgress?: (progress: MigrateProgress) => void;
}

/**
 * Users are added when absent and otherwise kept as the target has them (its password may be newer);
 * their password moves as it is, hash or the original's plain text. Streams are upserted by key, so a
 * second run finds them unchanged.
 */
export async function migrate(from: Store, to: Store, options: MigrateOptions = {}): Promise<MigrateReport> {
  const batchSize = options.batchSize ?? 500;
  const report: MigrateReport = {
    users: { added: 0, kept: 0 },
    talents: 0,
    streams: { inserted: 0, updated: 0, unchanged: 0 },
  };

  const users = await from.users.list();
  for (const [index, user] of users.entries()) {
    if (await to.users.insertIfAbsent(user)) report.users.added++;
    else report.users.kept++;
    options.onProgress?.({ phase: 'users', done: index + 1, total: users.length });
  }

  for (const { code, ...fields } of await from.talents.list()) {
    await to.talents.update(code, fields);
    report.talents++;
  }

  const total = await from.streams.count();
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const page = await from.streams.list(after, batchSize);
    if (page.length === 0) break;
    const counts = await to.streams.upsertMany(page);
    report.streams.inserted += counts.inserted;
    report.streams.updated += counts.updated;
    report.streams.unchanged += counts.unchanged;
    done += page.length;
    after = page.at(-1)!.key;
    options.onProgress?.({ phase: 'streams', done, total: Math.max(total, done) });
  }
  return report;
}
