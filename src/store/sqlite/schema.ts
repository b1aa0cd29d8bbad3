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
  extra       TEXT
) WITHOUT ROWID;
-- The day query: a range on datetime, newest first, ties by key.
CREATE INDEX IF NOT EXISTS holodules_datetime_key ON holodules (datetime, key);
CREATE INDEX IF NOT EXISTS holodules_video_id ON holodules (video_id);

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
`;
