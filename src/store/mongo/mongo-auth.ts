// Auth state in collections of our own beside the original's: revocations, refresh chains, login failure
// counters, signing keys. Expiry is `pruneExpired`'s job (run by every instance), not a TTL index, so it
// works the same on servers without TTL expiry. Counting and single use rest on MongoDB's atomic
// single-document updates (a filter on the whole state as compare-and-set).
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { AuthStore, LoginCounter, RefreshUse, StoredKey } from '../types.js';
import { createKeyedQueue } from '../../auth/keyed-queue.js';
import { guarded } from './unavailable.js';

export const AUTH_COLLECTIONS = {
  revoked: 'holodule_revoked_tokens',
  refresh: 'holodule_refresh_tokens',
  failures: 'holodule_login_failures',
  keys: 'holodule_signing_keys',
} as const;

interface RevokedDoc {
  _id: string;
  expires_at: number;
}

interface RefreshDoc {
  _id: string;
  family: string;
  username: string;
  /** The owner's uid; absent on records written before uids existed (those are refused). */
  user_id?: string;
  expires_at: number;
  used_at: number | null;
  revoked: boolean;
}

interface FailureDoc {
  _id: string;
  count: number;
  window_start: number;
  last_at: number;
}

interface KeyDoc {
  _id: string;
  alg: string;
  secret: string;
  public_jwk: string | null;
  created_at: number;
  retired_at: number | null;
  expires_at: number | null;
}

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown): boolean => err instanceof MongoServerError && err.code === DUPLICATE_KEY;
// Failure counters are kept a day after the last failure: longer than any throttling window.
const FAILURES_KEPT_MS = 24 * 3600 * 1000;

/** A stored counter, checked: anything but whole numbers is refused, so the throttle fails closed on it. */
function toCounter(doc: FailureDoc): LoginCounter {
  const { count, window_start: windowStart, last_at: lastAt } = doc;
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(windowStart) || !Number.isSafeInteger(lastAt)) {
    throw new Error(`login counter ${doc._id} is malformed`);
  }
  return { count, windowStart, lastAt };
}

const toKey = (doc: KeyDoc): StoredKey => ({
  kid: doc._id,
  alg: doc.alg,
  secret: doc.secret,
  publicJwk: doc.public_jwk,
  createdAt: doc.created_at,
  retiredAt: doc.retired_at ?? null,
  expiresAt: doc.expires_at ?? null,
});

export function mongoAuthStore(db: Db, timeoutMs: number): AuthStore {
  const revoked: Collection<RevokedDoc> = db.collection(AUTH_COLLECTIONS.revoked);
  const refresh: Collection<RefreshDoc> = db.collection(AUTH_COLLECTIONS.refresh);
  const failures: Collection<FailureDoc> = db.collection(AUTH_COLLECTIONS.failures);
  const keys: Collection<KeyDoc> = db.collection(AUTH_COLLECTIONS.keys);
  const run = <T>(operation: () => Promise<T>): Promise<T> => guarded(timeoutMs, operation);
  // One at a time per key within this instance: free on MongoDB, and it keeps compare-and-sets exact and uses
  // single on servers whose read-modify-write is not atomic (FerretDB 1.x; see docs/mongodb.md).
  const oneAtATime = createKeyedQueue();

  // The whole stored counter as a filter: the update is then a compare-and-set, one atomic step on MongoDB.
  const asFilter = (key: string, counter: LoginCounter) => ({
    _id: key,
    count: counter.count,
    window_start: counter.windowStart,
    last_at: counter.lastAt,
  });

  async function swapCounter(key: string, expected: LoginCounter | null, next: LoginCounter | null): Promise<boolean> {
    const fields = next && { count: next.count, window_start: next.windowStart, last_at: next.lastAt };
    if (expected === null) {
      if (fields === null) return (await run(() => failures.findOne({ _id: key }))) === null;
      try {
        await run(() => failures.insertOne({ _id: key, ...fields }));
        return true;
      } catch (err) {
        // Another attempt started the counter first.
        if (isDuplicate(err)) return false;
        throw err;
      }
    }
    if (fields === null) return (await run(() => failures.deleteOne(asFilter(key, expected)))).deletedCount === 1;
    return (await run(() => failures.updateOne(asFilter(key, expected), { $set: fields }))).matchedCount === 1;
  }

  return {
    async revokeAccessToken(id, expiresAt) {
      // $max: revoked again later (a login: logout, then reuse), the revocation lasts until the later expiry.
      await run(() => revoked.updateOne({ _id: id }, { $max: { expires_at: expiresAt } }, { upsert: true }));
    },
    async isAccessTokenRevoked(id) {
      return (await run(() => revoked.findOne({ _id: id }, { projection: { _id: 1 } }))) !== null;
    },
    async saveRefreshToken(record) {
      await run(() =>
        refresh.insertOne({
          _id: record.jti,
          family: record.family,
          username: record.username,
          user_id: record.userId,
          expires_at: record.expiresAt,
          used_at: null,
          revoked: false,
        }),
      );
    },
    useRefreshToken(jti, userId) {
      return oneAtATime(`refresh:${jti}`, async (): Promise<RefreshUse> => {
        // The filter makes it a compare-and-set: of two concurrent uses, exactly one matches.
        const used = await run(() =>
          refresh.updateOne(
            { _id: jti, user_id: userId, used_at: null, revoked: false },
            { $set: { used_at: Date.now() } },
          ),
        );
        if (used.modifiedCount === 1) return 'fresh';
        const state = await run(() => refresh.findOne({ _id: jti }));
        if (!state || state.user_id !== userId) return 'unknown';
        return state.revoked ? 'revoked' : 'reused';
      });
    },
    async revokeRefreshFamily(family) {
      await run(() => refresh.updateMany({ family }, { $set: { revoked: true } }));
    },
    async loginCounter(key) {
      const doc = await run(() => failures.findOne({ _id: key }));
      return doc ? toCounter(doc) : null;
    },
    swapLoginCounter(key, expected, next) {
      return oneAtATime(`failures:${key}`, () => swapCounter(key, expected, next));
    },
    async clearLoginFailures(key) {
      await run(() => failures.deleteOne({ _id: key }));
    },
    async listKeys() {
      return (await run(() => keys.find({}).sort({ created_at: 1, _id: 1 }).toArray())).map(toKey);
    },
    async addKey(key, retireOthersAt, othersExpireAt) {
      // Insert first, then retire the others: in between both sign-capable keys verify, never none.
      await run(() =>
        keys.insertOne({
          _id: key.kid,
          alg: key.alg,
          secret: key.secret,
          public_jwk: key.publicJwk,
          created_at: key.createdAt,
          retired_at: key.retiredAt,
          expires_at: key.expiresAt,
        }),
      );
      await run(() =>
        keys.updateMany(
          { retired_at: null, _id: { $ne: key.kid } },
          { $set: { retired_at: retireOthersAt, expires_at: othersExpireAt } },
        ),
      );
    },
    async pruneExpired(now) {
      const deleted = await Promise.all([
        run(() => revoked.deleteMany({ expires_at: { $lt: now } })),
        run(() => refresh.deleteMany({ expires_at: { $lt: now } })),
        run(() => failures.deleteMany({ last_at: { $lt: now - FAILURES_KEPT_MS } })),
        // A key without expiry (null) is never less than a number in MongoDB's comparison order.
        run(() => keys.deleteMany({ expires_at: { $lt: now } })),
      ]);
      return deleted.reduce((sum, result) => sum + result.deletedCount, 0);
    },
  };
}
