// Writes the generated schedule and the benchmark's user into a store, through the store's own upsertMany.
// SQLite files are kept between runs (1M streams take a while to write), keyed by size, seed and generator.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPasswordHasher } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store, Stream } from '../src/store/types.js';
import { generateSchedule } from './generate-schedule.js';

export const BENCH_USER = { username: 'bench', password: 'bench-password-not-secret' } as const;
/** Bumped whenever the generator changes, so an old cached file is never mistaken for the new data. */
const GENERATOR_VERSION = 2;
const BATCH = 5_000;

export interface DataSpec {
  streams: number;
  seed: number;
}

/** Streams and the user, written in batches (one transaction each on SQLite, one bulk write on MongoDB). */
export async function fillStore(store: Store, spec: DataSpec, progress?: (written: number) => void): Promise<void> {
  let pending: Stream[] = [];
  let written = 0;
  for (const day of generateSchedule(spec.seed, spec.streams)) {
    pending.push(...day);
    if (pending.length >= BATCH) {
      await store.streams.upsertMany(pending);
      written += pending.length;
      pending = [];
      progress?.(written);
    }
  }
  if (pending.length > 0) await store.streams.upsertMany(pending);
  // Hashed exactly as holodule hashes (its default Argon2id settings), so /auth does its real work.
  const hasher = await createPasswordHasher(loadConfig({ HOLODULE_COLLECT_INTERVAL: '0' }).passwords);
  if (!(await store.users.findByUsername(BENCH_USER.username))) {
    await store.users.create({
      id: '1',
      username: BENCH_USER.username,
      password: await hasher.hash(BENCH_USER.password),
    });
  }
}

/** The SQLite file for `spec` in `dir`, written now unless a complete one is there already. */
export async function sqliteFileFor(dir: string, spec: DataSpec, log: (line: string) => void): Promise<string> {
  const name = `schedule-${spec.streams}-seed${spec.seed}-v${GENERATOR_VERSION}`;
  const path = join(dir, `${name}.sqlite`);
  const marker = join(dir, `${name}.complete`);
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === String(spec.streams))
    return path;
  for (const leftover of [path, `${path}-wal`, `${path}-shm`, marker]) rmSync(leftover, { force: true });
  log(`writing ${spec.streams} streams into ${path} …`);
  const started = Date.now();
  const store = new SqliteStore(path);
  try {
    let next = 100_000;
    await fillStore(store, spec, (written) => {
      if (written >= next) {
        log(`  ${written} streams`);
        next += 100_000;
      }
    });
  } finally {
    await store.close();
  }
  // Written last: a run stopped half-way leaves no marker, so the next run starts the file again.
  writeFileSync(marker, `${spec.streams}\n`);
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return path;
}
