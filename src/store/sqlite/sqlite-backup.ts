// Backup and restore of the embedded store: SQLite's online backup API gives a consistent copy while a
// server writes; a restore is verified in a temporary file beside the database, then renamed into place.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type AppError, conflict, notFound } from '../../errors.js';
import { serversUsing } from './servers-using.js';

/** The tables every holodule database has, whatever its age. */
const REQUIRED_TABLES = ['holodules', 'users'];

export interface DatabaseSummary {
  users: number;
  streams: number;
}

const refused = (description: string): AppError => conflict(description);

/** A temporary path in the same directory as `path`, so a rename onto `path` is atomic. */
const besides = (path: string, purpose: string): string =>
  join(dirname(path), `.${basename(path)}.${purpose}-${randomBytes(4).toString('hex')}`);

/** Checks that `path` is a sound holodule database: integrity_check passes and the tables are there. */
export function verifyHoloduleDatabase(path: string): DatabaseSummary {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw refused(`${path} cannot be opened as a SQLite database (${(err as Error).message})`);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      throw refused(`${path} is not a SQLite database (${(err as Error).message})`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw refused(`${path} fails SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);
    }
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) throw refused(`${path} is not a holodule database (no ${missing.join(', ')} table)`);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { users: count('users'), streams: count('holodules') };
  } finally {
    db.close();
  }
}

/** Copies the database at `sourcePath` to `destination` while servers may be writing to it. */
export async function backupDatabase(sourcePath: string, destination: string): Promise<DatabaseSummary> {
  if (!existsSync(sourcePath)) throw notFound(`no SQLite database at ${sourcePath}`);
  if (!existsSync(dirname(destination))) {
    throw notFound(`the directory ${dirname(destination)} does not exist`);
  }
  const temporary = besides(destination, 'backup');
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
  source.pragma('busy_timeout = 5000');
  try {
    // Large steps: a step that sees a write made between steps restarts, so few steps finish soonest.
    await source.backup(temporary, { progress: () => 10_000 });
    const summary = verifyHoloduleDatabase(temporary);
    renameSync(temporary, destination);
    return summary;
  } finally {
    source.close();
    rmSync(temporary, { force: true });
  }
}

/**
 * Replaces the database at `targetPath` with the backup at `backupPath`: refused while a server uses it;
 * the backup is copied beside the target and verified first, so a failure leaves the target as it was.
 */
export async function restoreDatabase(backupPath: string, targetPath: string): Promise<DatabaseSummary> {
  if (!existsSync(backupPath)) throw notFound(`no backup at ${backupPath}`);
  const running = serversUsing(targetPath);
  if (running.length > 0) {
    throw refused(
      `${targetPath} is in use by a running holodule (pid ${running.join(', ')}): stop it first, then restore`,
    );
  }
  verifyHoloduleDatabase(backupPath);
  mkdirSync(dirname(targetPath), { recursive: true });
  const temporary = besides(targetPath, 'restore');
  try {
    const source = new Database(backupPath, { readonly: true, fileMustExist: true });
    try {
      await source.backup(temporary);
    } finally {
      source.close();
    }
    const summary = verifyHoloduleDatabase(temporary);
    // A stopped server leaves no -wal or -shm; stale ones would belong to the old file, not this one.
    for (const suffix of ['-wal', '-shm']) rmSync(`${targetPath}${suffix}`, { force: true });
    renameSync(temporary, targetPath);
    return summary;
  } finally {
    rmSync(temporary, { force: true });
  }
}
