// The collector's lease (and any other "one instance does this" job) in a collection of our own.
import { MongoServerError, type Collection } from 'mongodb';
import type { LeaseStore } from '../types.js';
import { guarded } from './unavailable.js';

export const LEASES_COLLECTION = 'holodule_leases';
const DUPLICATE_KEY = 11000;

interface LeaseDoc {
  _id: string;
  holder: string;
  /** By the clock of the instance that took the lease. */
  expires_at: Date;
}

export function mongoLeaseStore(leases: Collection<LeaseDoc>, timeoutMs: number): LeaseStore {
  return {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      try {
        // Matches only a lease that is ours or expired; for one held by another the upsert's insert of the same
        // _id fails on the unique _id, which is the answer "not yours".
        const doc = await guarded(timeoutMs, () =>
          leases.findOneAndUpdate(
            { _id: name, $or: [{ holder }, { expires_at: { $lte: new Date(now) } }] },
            { $set: { holder, expires_at: new Date(now + ttlMs) } },
            { upsert: true, returnDocument: 'after', maxTimeMS: timeoutMs },
          ),
        );
        return doc?.holder === holder;
      } catch (err) {
        if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
        throw err;
      }
    },
    async release(name, holder) {
      const result = await guarded(timeoutMs, () => leases.deleteOne({ _id: name, holder }, { maxTimeMS: timeoutMs }));
      return result.deletedCount === 1;
    },
  };
}
