// The embedded database's schema. Idempotent: run on every open.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS holodules (
  key         TEXT PRIMARY KEY NOT NULL,
  video_id    TEXT NOT NULL,
  datetime    TEXT NOT NULL,
  name        TEXT NOT NULL,
  title       TEXT NOT NULL,
  url         TEXT NOT NULL,
  description TEXT NOT NULL,
  extra       TEXT,
  start_utc   TEXT,
  talent      TEXT,
  status      TEXT,
  search      TEXT
) WITHOUT ROWID;
-- The day query: a range on datetime, newest first, ties by key.
CREATE INDEX IF NOT EXISTS holodules_datetime_key ON holodules (datetime, key);
CREATE INDEX IF NOT EXISTS holodules_video_id ON holodules (video_id);

-- Talents beyond talents.json: names the collector met, an admin's corrections (a JSON TalentRecord).
CREATE TABLE IF NOT EXISTS talents (
  code   TEXT PRIMARY KEY NOT NULL,
  record TEXT NOT NULL
) WITHOUT ROWID;

-- uid and created_at are ours (see upgradeSchema for files made before they existed).
CREATE TABLE IF NOT EXISTS users (
  username   TEXT PRIMARY KEY NOT NULL,
  id         TEXT NOT NULL,
  password   TEXT NOT NULL,
  extra      TEXT,
  uid        TEXT,
  created_at INTEGER
) WITHOUT ROWID;

-- expires_at: milliseconds since the epoch, by the clock of the instance that took the lease.
CREATE TABLE IF NOT EXISTS leases (
  name       TEXT PRIMARY KEY NOT NULL,
  holder     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Auth state shared by every process on this file (revocations, refresh chains, throttling, keys).
CREATE TABLE IF NOT EXISTS revoked_tokens (
  jti        TEXT PRIMARY KEY NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS revoked_tokens_expires_at ON revoked_tokens (expires_at);

CREATE TABLE IF NOT EXISTS refresh_tokens (
  jti        TEXT PRIMARY KEY NOT NULL,
  family     TEXT NOT NULL,
  username   TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked    INTEGER NOT NULL DEFAULT 0,
  user_id    TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX IF NOT EXISTS refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE IF NOT EXISTS login_failures (
  key          TEXT PRIMARY KEY NOT NULL,
  count        INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  last_at      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS signing_keys (
  kid        TEXT PRIMARY KEY NOT NULL,
  alg        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  public_jwk TEXT,
  created_at INTEGER NOT NULL,
  retired_at INTEGER,
  expires_at INTEGER
) WITHOUT ROWID;
`;

/** Columns added since the first release: [table, column, type]. */
const ADDED_COLUMNS: ReadonlyArray<readonly [string, string, string]> = [
  ['users', 'uid', 'TEXT'],
  ['users', 'created_at', 'INTEGER'],
  ['refresh_tokens', 'user_id', 'TEXT'],
];

/**
 * Brings a file made by an older holodule up to SCHEMA_SQL: adds the missing columns, gives every user
 * without a uid one of its own, and indexes uids as unique. One IMMEDIATE transaction, so two processes
 * opening the same file at once do it once; a second open finds nothing to do (and takes no lock).
 */
export function upgradeSchema(db: Database.Database): void {
  const columnsOf = (table: string): Set<string> =>
    new Set(
      db
        .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => c.name),
    );
  // Reads first: an up-to-date file needs no write lock to open (another process may be holding it).
  const upToDate =
    ADDED_COLUMNS.every(([table, column]) => columnsOf(table).has(column)) &&
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'users_uid'").get() !== undefined &&
    db.prepare('SELECT 1 FROM users WHERE uid IS NULL LIMIT 1').get() === undefined;
  if (upToDate) return;
  const upgrade = db.transaction(() => {
    for (const [table, column, type] of ADDED_COLUMNS) {
      if (!columnsOf(table).has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
    db.exec('CREATE UNIQUE INDEX IF NOT EXISTS users_uid ON users (uid)');
    const setUid = db.prepare<[string, string]>('UPDATE users SET uid = ? WHERE username = ? AND uid IS NULL');
    for (const { username } of db
      .prepare<[], { username: string }>('SELECT username FROM users WHERE uid IS NULL')
      .all()) {
      setUid.run(randomUUID(), username);
    }
  });
  upgrade.immediate();
}

/** Columns derived from each stream for the v2 queries (stream-facets.ts); added to databases made before them. */
export const FACET_COLUMNS = ['start_utc', 'talent', 'status', 'search'] as const;

/** The v2 queries' indexes: every query has a start range, alone or after an equality on talent or status. */
export const FACET_INDEX_SQL = `
CREATE INDEX IF NOT EXISTS holodules_start ON holodules (start_utc, key);
CREATE INDEX IF NOT EXISTS holodules_talent_start ON holodules (talent, start_utc, key);
CREATE INDEX IF NOT EXISTS holodules_status_start ON holodules (status, start_utc, key);
`;
