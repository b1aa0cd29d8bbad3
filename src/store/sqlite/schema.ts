// The embedded database's schema. Idempotent: run on every open.
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

CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY NOT NULL,
  id       TEXT NOT NULL,
  password TEXT NOT NULL,
  extra    TEXT
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
  revoked    INTEGER NOT NULL DEFAULT 0
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

/** Columns derived from each stream for the v2 queries (stream-facets.ts); added to databases made before them. */
export const FACET_COLUMNS = ['start_utc', 'talent', 'status', 'search'] as const;

/** The v2 queries' indexes: every query has a start range, alone or after an equality on talent or status. */
export const FACET_INDEX_SQL = `
CREATE INDEX IF NOT EXISTS holodules_start ON holodules (start_utc, key);
CREATE INDEX IF NOT EXISTS holodules_talent_start ON holodules (talent, start_utc, key);
CREATE INDEX IF NOT EXISTS holodules_status_start ON holodules (status, start_utc, key);
`;
