// Hit counters in a collection of our own. Like the login failure counters (mongo-auth.ts): a filter as
// compare-and-set picks "count in this window" or "start a new one", and MongoDB applies each atomically.
import { MongoServerError, type Collection } from 'mongodb';
import type { CounterHit, CounterStore } from '../types.js';
import { createKeyedQueue } from '../../auth/keyed-queue.js';
import { guarded } from './unavailable.js';

export const COUNTERS_COLLECTION = 'holodule_hit_counters';

interface CounterDoc {
  _id: string;
  count: number;
  reset_at: number;
}

const DUPLICATE_KEY = 11000;

export function mongoCounterStore(counters: Collection<CounterDoc>, timeoutMs: number): CounterStore {
  const run = <T>(operation: () => Promise<T>): Promise<T> => guarded(timeoutMs, operation);
  // One at a time per key within this instance: free on MongoDB, and exact on FerretDB (see docs/mongodb.md).
  const oneAtATime = createKeyedQueue();

  async function hit(key: string, windowMs: number, now: number): Promise<CounterHit> {
    for (;;) {
      const counted = await run(() =>
        counters.findOneAndUpdate(
          { _id: key, reset_at: { $gt: now } },
          { $inc: { count: 1 } },
          { returnDocument: 'after' },
        ),
      );
      if (counted) return { count: counted.count, resetAt: counted.reset_at };
      try {
        // No window running: start one (inserting the counter when there is none at all).
        const started = await run(() =>
          counters.findOneAndUpdate(
            { _id: key, reset_at: { $lte: now } },
            { $set: { count: 1, reset_at: now + windowMs } },
            { upsert: true, returnDocument: 'after' },
          ),
        );
        if (started) return { count: started.count, resetAt: started.reset_at };
      } catch (err) {
        // Another instance started the window first: count ours in it.
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
      }
    }
  }

  return {
    hit(key, windowMs, now) {
      return oneAtATime(key, () => hit(key, windowMs, now));
    },
    async prune(now) {
      return (await run(() => counters.deleteMany({ reset_at: { $lt: now } }))).deletedCount;
    },
  };
}
