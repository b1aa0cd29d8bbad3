// One SQLite file, kept usable through faults: a read-only, vanished or replaced file is opened again on the
// next request, a write lock held elsewhere is waited for without blocking the event loop, and whatever
// still fails becomes an `unavailable` AppError (never a SQLite message). Service resumes by itself once the fault is gone.
import { existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { serviceUnavailable } from '../../errors.js';
import type { Readiness } from '../types.js';
import { reasonOf, sqliteFaultOf } from './sqlite-faults.js';

export interface SqliteConnection {
  readonly db: Database.Database;
}

export interface SqliteFileOptions {
  /** How long an operation keeps trying while another connection holds the write lock, before 503. */
  busyTimeoutMs: number;
  /** A statement that writes nothing but needs write access (run inside a transaction that is rolled back). */
  writeProbeSql: string;
}

/** How often an operation checks that the path still names the file we have open (a stat costs ~2 µs). */
const IDENTITY_CHECK_MS = 1000;
/** SQLite's own busy wait blocks the event loop, so each try waits only this long; the rest is async. */
const BUSY_WAIT_PER_TRY_MS = 25;
const MAX_PAUSE_MS = 100;
/** Below this much free space, /readyz says the disk is full (SQLite needs room for its write-ahead log). */
export const MIN_FREE_BYTES = 1024 * 1024;

const inMemory = (path: string): boolean => path === ':memory:' || path === '';

export class SqliteFile<C extends SqliteConnection> {
  /** True when the first open created the file. */
  readonly created: boolean;
  private current: C | undefined;
  private identity: { dev: number; ino: number } | undefined;
  private checkedAt = 0;
  private closed = false;
  /** Counts opens, so a fault on a connection older than the operation can be retried once on a new one. */
  private opens = 0;

  constructor(
    readonly path: string,
    private readonly setUp: (db: Database.Database) => C,
    private readonly options: SqliteFileOptions,
  ) {
    if (!inMemory(path)) mkdirSync(dirname(path), { recursive: true });
    this.created = inMemory(path) || !existsSync(path);
    this.current = this.open(true);
  }

  /** The connection open now, if any (nothing is opened or checked). */
  openConnection(): C | undefined {
    return this.current;
  }

  /** The connection open now: opened again if the path no longer names its file, or if a fault dropped it. */
  connection(checkIdentityNow = false): C {
    if (this.closed) throw new Error('the SQLite store is closed');
    if (this.current && this.identity && (checkIdentityNow || Date.now() - this.checkedAt >= IDENTITY_CHECK_MS)) {
      this.checkedAt = Date.now();
      if (!this.stillSameFile()) this.drop();
    }
    this.current ??= this.open(false);
    return this.current;
  }

  /** Runs one store operation; a fault of the file or the disk becomes an `unavailable` AppError (after waiting out a lock). */
  async run<R>(operation: (connection: C) => R | Promise<R>): Promise<R> {
    const started = Date.now();
    const opensBefore = this.opens;
    let reopened = false;
    for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        return await operation(this.connection());
      } catch (err) {
        const fault = this.closed ? undefined : sqliteFaultOf(err);
        if (fault === undefined) throw err;
        if (fault === 'busy' && Date.now() - started + pause < this.options.busyTimeoutMs) {
          await sleep(pause);
          continue;
        }
        if (fault === 'lost') {
          this.drop();
          // A connection from before the fault was fixed (e.g. opened read-only) gets one fresh try.
          if (!reopened && this.opens === opensBefore) {
            reopened = true;
            continue;
          }
        }
        throw serviceUnavailable(err);
      }
    }
  }

  /** A read, a write lock taken and given back (nothing written), and free space: answered within `deadlineMs`. */
  async ready(deadlineMs: number): Promise<Readiness> {
    const until = Date.now() + deadlineMs;
    const opensBefore = this.opens;
    let reopened = false;
    for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        const { db } = this.connection(true);
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
        db.exec('BEGIN IMMEDIATE');
        try {
          db.exec(this.options.writeProbeSql);
        } finally {
          if (db.inTransaction) db.exec('ROLLBACK');
        }
        break;
      } catch (err) {
        const fault = this.closed ? undefined : sqliteFaultOf(err);
        if (fault === undefined) return { ok: false, reason: 'unreadable' };
        if (fault === 'busy' && Date.now() + pause < until) {
          await sleep(pause);
          continue;
        }
        if (fault === 'lost') {
          this.drop();
          if (!reopened && this.opens === opensBefore) {
            reopened = true;
            continue;
          }
        }
        return { ok: false, reason: reasonOf(err) };
      }
    }
    if (!inMemory(this.path) && this.freeBytes() < MIN_FREE_BYTES) return { ok: false, reason: 'disk-full' };
    return { ok: true };
  }

  close(): void {
    this.closed = true;
    this.drop(true);
  }

  private open(first: boolean): C {
    // better-sqlite3 says so with a TypeError; as a file-system answer it is a fault, not a bug.
    if (!first && !existsSync(dirname(this.path))) {
      throw Object.assign(new Error('the database directory does not exist'), { code: 'ENOENT' });
    }
    this.opens++;
    const db = new Database(this.path, first ? {} : { fileMustExist: true });
    try {
      // Starting up may wait the whole busy timeout (nothing is served yet); later tries wait briefly.
      db.pragma(`busy_timeout = ${first ? this.options.busyTimeoutMs : BUSY_WAIT_PER_TRY_MS}`);
      const connection = this.setUp(db);
      db.pragma(`busy_timeout = ${Math.min(BUSY_WAIT_PER_TRY_MS, this.options.busyTimeoutMs)}`);
      if (!inMemory(this.path)) {
        const { dev, ino } = statSync(this.path);
        this.identity = { dev, ino };
        this.checkedAt = Date.now();
      }
      return connection;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private stillSameFile(): boolean {
    try {
      const now = statSync(this.path, { throwIfNoEntry: false });
      return now !== undefined && now.dev === this.identity?.dev && now.ino === this.identity.ino;
    } catch {
      return false;
    }
  }

  /** Lets go of the connection (an in-memory database only when closing: opening it again would empty it). */
  private drop(closing = false): void {
    if (!closing && inMemory(this.path)) return;
    const connection = this.current;
    this.current = undefined;
    this.identity = undefined;
    try {
      if (connection?.db.open) connection.db.close();
    } catch {
      // Closing a connection to a file that is gone can fail; it is let go either way.
    }
  }

  private freeBytes(): number {
    const fs = statfsSync(dirname(this.path));
    // root may use the blocks reserved for it; anyone else only the available ones.
    return (process.getuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
  }
}

/**
 * The methods of `pick(connection)`, each run through `file.run` on whichever connection is open at the time
 * (so a connection opened again after a fault is used from then on).
 */
export function guardedMethods<C extends SqliteConnection, T extends object>(
  file: SqliteFile<C>,
  pick: (connection: C) => T,
): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(pick(file.connection()))) {
    if (typeof value !== 'function') continue;
    guarded[name] = (...args: unknown[]) =>
      file.run((connection) => (pick(connection) as Record<string, (...a: unknown[]) => unknown>)[name]!(...args));
  }
  return guarded as T;
}
