// API keys and calendar feeds in the SQLite file: one row each, found by the SHA-256 of the secret.
import type Database from 'better-sqlite3';
import type { CredentialKind, CredentialRecord, CredentialStore, FeedFilters } from '../types.js';

export const CREDENTIALS_SQL = `
CREATE TABLE IF NOT EXISTS credentials (
  id           TEXT PRIMARY KEY NOT NULL,
  kind         TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at   INTEGER,
  user_version INTEGER NOT NULL,
  filters      TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS credentials_kind_hash ON credentials (kind, hash);
CREATE INDEX IF NOT EXISTS credentials_user ON credentials (user_id, kind, created_at);
`;

interface CredentialRow {
  id: string;
  kind: CredentialKind;
  user_id: string;
  name: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  user_version: number;
  filters: string | null;
}

function toRecord(row: CredentialRow): CredentialRecord {
  const record: CredentialRecord = {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    name: row.name,
    hash: row.hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    userVersion: row.user_version,
  };
  if (row.filters !== null) record.filters = JSON.parse(row.filters) as FeedFilters;
  return record;
}

export function sqliteCredentialStore(db: Database.Database): CredentialStore {
  db.exec(CREDENTIALS_SQL);
  const insert = db.prepare(
    'INSERT INTO credentials (id, kind, user_id, name, hash, created_at, last_used_at, expires_at, user_version, filters) ' +
      'VALUES (@id, @kind, @user_id, @name, @hash, @created_at, @last_used_at, @expires_at, @user_version, @filters)',
  );
  const byHash = db.prepare<[string, string], CredentialRow>('SELECT * FROM credentials WHERE kind = ? AND hash = ?');
  const ofUser = db.prepare<[string, string], CredentialRow>(
    'SELECT * FROM credentials WHERE user_id = ? AND kind = ? ORDER BY created_at, id',
  );
  const removeOne = db.prepare<[string, string, string]>(
    'DELETE FROM credentials WHERE user_id = ? AND kind = ? AND id = ?',
  );
  const removeAll = db.prepare<[string]>('DELETE FROM credentials WHERE user_id = ?');
  const touch = db.prepare<[number, string, number]>(
    'UPDATE credentials SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)',
  );
  return {
    async add(record) {
      insert.run({
        id: record.id,
        kind: record.kind,
        user_id: record.userId,
        name: record.name,
        hash: record.hash,
        created_at: record.createdAt,
        last_used_at: record.lastUsedAt,
        expires_at: record.expiresAt,
        user_version: record.userVersion,
        filters: record.filters === undefined ? null : JSON.stringify(record.filters),
      });
    },
    async findByHash(kind, hash) {
      const row = byHash.get(kind, hash);
      return row ? toRecord(row) : null;
    },
    async listOfUser(userId, kind) {
      return ofUser.all(userId, kind).map(toRecord);
    },
    async remove(userId, kind, id) {
      return removeOne.run(userId, kind, id).changes === 1;
    },
    async removeAllOfUser(userId) {
      return removeAll.run(userId).changes;
    },
    async markUsed(id, at, minIntervalMs) {
      touch.run(at, id, at - minIntervalMs);
    },
  };
}
