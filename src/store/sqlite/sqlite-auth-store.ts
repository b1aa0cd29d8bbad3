// Auth state in the SQLite file: revocations, refresh-token chains, login failure counters, signing keys.
import type Database from 'better-sqlite3';
import type { AuthStore, LoginCounter, RefreshUse, StoredKey } from '../types.js';
import { type ChangeStamp, UntilChanged } from './change-stamp.js';

interface KeyRow {
  kid: string;
  alg: string;
  secret: string;
  public_jwk: string | null;
  created_at: number;
  retired_at: number | null;
  expires_at: number | null;
}

const toKey = (row: KeyRow): StoredKey => ({
  kid: row.kid,
  alg: row.alg,
  secret: row.secret,
  publicJwk: row.public_jwk,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  expiresAt: row.expires_at,
});

type CounterRow = LoginCounter & { key: string };

/** A stored counter, checked: anything but whole numbers is refused, so the throttle fails closed on it. */
function toCounter(key: string, row: { count: unknown; window_start: unknown; last_at: unknown }): LoginCounter {
  const { count, window_start: windowStart, last_at: lastAt } = row;
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(windowStart) || !Number.isSafeInteger(lastAt)) {
    throw new Error(`login counter ${key} is malformed`);
  }
  return { count, windowStart, lastAt } as LoginCounter;
}

export function sqliteAuthStore(db: Database.Database, stamp: ChangeStamp): AuthStore {
  // Revoked again later (a login: logout, then reuse), the revocation lasts until the later expiry.
  const revoke = db.prepare<[string, number]>(
    'INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ' +
      'ON CONFLICT(jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)',
  );
  const isRevoked = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM revoked_tokens WHERE jti = ?');
  // Asked on every request with a token: the answer stays in memory until anything in the file changes (a
  // revocation by any instance is a commit, so the next request asks the file again).
  const revokedById = new UntilChanged<boolean>(stamp, 10_000);
  const saveRefresh = db.prepare(
    'INSERT INTO refresh_tokens (jti, family, username, user_id, expires_at) ' +
      'VALUES (@jti, @family, @username, @userId, @expiresAt)',
  );
  const markUsed = db.prepare<[number, string, string]>(
    'UPDATE refresh_tokens SET used_at = ? WHERE jti = ? AND user_id = ? AND used_at IS NULL AND revoked = 0',
  );
  const refreshState = db.prepare<
    [string],
    { used_at: number | null; revoked: number; family: string; user_id: string | null }
  >('SELECT used_at, revoked, family, user_id FROM refresh_tokens WHERE jti = ?');
  const revokeFamily = db.prepare<[string]>('UPDATE refresh_tokens SET revoked = 1 WHERE family = ?');
  const counter = db.prepare<[string], { count: unknown; window_start: unknown; last_at: unknown }>(
    'SELECT count, window_start, last_at FROM login_failures WHERE key = ?',
  );
  // Each is one statement, so the compare and the write are one atomic step, across connections too.
  const insertCounter = db.prepare<[CounterRow]>(
    `INSERT INTO login_failures (key, count, window_start, last_at) VALUES (@key, @count, @windowStart, @lastAt)
     ON CONFLICT(key) DO NOTHING`,
  );
  const replaceCounter = db.prepare<[CounterRow & { wasCount: number; wasWindowStart: number; wasLastAt: number }]>(
    `UPDATE login_failures SET count = @count, window_start = @windowStart, last_at = @lastAt
     WHERE key = @key AND count = @wasCount AND window_start = @wasWindowStart AND last_at = @wasLastAt`,
  );
  const deleteCounter = db.prepare<[CounterRow]>(
    'DELETE FROM login_failures WHERE key = @key AND count = @count AND window_start = @windowStart AND last_at = @lastAt',
  );
  const clearFailures = db.prepare<[string]>('DELETE FROM login_failures WHERE key = ?');
  const listKeys = db.prepare<[], KeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid');
  const insertKey = db.prepare(
    'INSERT INTO signing_keys (kid, alg, secret, public_jwk, created_at, retired_at, expires_at) ' +
      'VALUES (@kid, @alg, @secret, @publicJwk, @createdAt, @retiredAt, @expiresAt)',
  );
  const retireOthers = db.prepare<[number, number, string]>(
    'UPDATE signing_keys SET retired_at = ?, expires_at = ? WHERE retired_at IS NULL AND kid <> ?',
  );
  const addKey = db.transaction((key: StoredKey, retireAt: number, expireAt: number) => {
    insertKey.run(key);
    retireOthers.run(retireAt, expireAt, key.kid);
  });
  const prune = db.transaction((now: number, failureHorizon: number) => {
    return (
      db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?').run(now).changes +
      db.prepare('DELETE FROM refresh_tokens WHERE expires_at < ?').run(now).changes +
      db.prepare('DELETE FROM login_failures WHERE last_at < ?').run(failureHorizon).changes +
      db.prepare('DELETE FROM signing_keys WHERE expires_at IS NOT NULL AND expires_at < ?').run(now).changes
    );
  });

  return {
    async revokeAccessToken(jti, expiresAt) {
      revoke.run(jti, expiresAt);
    },
    async isAccessTokenRevoked(id) {
      return revokedById.get(id, () => isRevoked.get(id) !== undefined);
    },
    async saveRefreshToken(record) {
      saveRefresh.run(record);
    },
    async useRefreshToken(jti, userId): Promise<RefreshUse> {
      if (markUsed.run(Date.now(), jti, userId).changes === 1) return 'fresh';
      const state = refreshState.get(jti);
      if (!state || state.user_id !== userId) return 'unknown';
      return state.revoked ? 'revoked' : 'reused';
    },
    async revokeRefreshFamily(family) {
      revokeFamily.run(family);
    },
    async loginCounter(key) {
      const row = counter.get(key);
      return row ? toCounter(key, row) : null;
    },
    async swapLoginCounter(key, expected, next) {
      if (expected === null) {
        return next === null ? counter.get(key) === undefined : insertCounter.run({ key, ...next }).changes === 1;
      }
      if (next === null) return deleteCounter.run({ key, ...expected }).changes === 1;
      return (
        replaceCounter.run({
          key,
          ...next,
          wasCount: expected.count,
          wasWindowStart: expected.windowStart,
          wasLastAt: expected.lastAt,
        }).changes === 1
      );
    },
    async clearLoginFailures(key) {
      clearFailures.run(key);
    },
    async listKeys() {
      return listKeys.all().map(toKey);
    },
    async addKey(key, retireOthersAt, othersExpireAt) {
      addKey(key, retireOthersAt, othersExpireAt);
    },
    async pruneExpired(now) {
      // Failure counters are kept a day after the last failure: longer than any throttling window.
      return prune(now, now - 24 * 3600 * 1000);
    },
  };
}
