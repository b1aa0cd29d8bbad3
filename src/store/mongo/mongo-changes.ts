// The change log in collections of our own. Sequences come from a counter document ($inc, atomic on every
// server): an append takes a block of them, then inserts its documents with those _ids. Two instances appending
// at once get distinct blocks, but one may land before the other: a reader can see a later sequence before an
// earlier one, for as long as that append takes. The feed (src/domain/change-feed.ts) waits out such a gap.
import { MongoServerError, type Db } from 'mongodb';
import type { Change, ChangeLogStore, ChangeType } from '../types.js';
import { guarded } from './unavailable.js';

export const CHANGES_COLLECTION = 'holodule_changes';
export const SEQUENCES_COLLECTION = 'holodule_sequences';
export const USED_TICKETS_COLLECTION = 'holodule_used_tickets';
const SEQUENCE_ID = 'holodule_changes';
const DUPLICATE_KEY = 11000;

interface ChangeDoc {
  _id: number;
  type: string;
  talent: string;
  at: number;
  data: string;
}

interface SequenceDoc {
  _id: string;
  seq: number;
}

interface UsedTicketDoc {
  _id: string;
  expires_at: number;
}

const toChange = (doc: ChangeDoc): Change => ({
  seq: doc._id,
  type: doc.type as ChangeType,
  talent: doc.talent,
  at: doc.at,
  data: doc.data,
});

export function mongoChangeLog(db: Db, timeoutMs: number): ChangeLogStore {
  const changes = db.collection<ChangeDoc>(CHANGES_COLLECTION);
  const sequences = db.collection<SequenceDoc>(SEQUENCES_COLLECTION);
  const used = db.collection<UsedTicketDoc>(USED_TICKETS_COLLECTION);
  const run = <T>(operation: () => Promise<T>): Promise<T> => guarded(timeoutMs, operation);

  /** Takes `n` sequences: returns the last of the block. */
  async function takeSequences(n: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await run(() =>
          sequences.findOneAndUpdate(
            { _id: SEQUENCE_ID },
            { $inc: { seq: n } },
            { upsert: true, returnDocument: 'after' },
          ),
        );
        if (doc) return doc.seq;
      } catch (err) {
        // Two first appends racing to create the counter: the loser increments the winner's.
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY) || attempt > 3) throw err;
      }
    }
  }

  const newestSeq = async (): Promise<number | null> =>
    (
      await run(() =>
        changes
          .find({}, { projection: { _id: 1 } })
          .sort({ _id: -1 })
          .limit(1)
          .toArray(),
      )
    )[0]?._id ?? null;

  return {
    async append(batch, at) {
      if (batch.length === 0) return [];
      const last = await takeSequences(batch.length);
      const first = last - batch.length + 1;
      const docs = batch.map((c, i) => ({ _id: first + i, type: c.type, talent: c.talent, at, data: c.data }));
      await run(() => changes.insertMany(docs, { ordered: true }));
      return docs.map((d) => d._id);
    },
    async after(seq, limit) {
      const docs = await run(() =>
        changes
          .find({ _id: { $gt: seq } })
          .sort({ _id: 1 })
          .limit(limit)
          .toArray(),
      );
      return docs.map(toChange);
    },
    async bounds() {
      const [oldest, newest, counter] = await Promise.all([
        run(() =>
          changes
            .find({}, { projection: { _id: 1 } })
            .sort({ _id: 1 })
            .limit(1)
            .toArray(),
        ),
        newestSeq(),
        run(() => sequences.findOne({ _id: SEQUENCE_ID })),
      ]);
      return { oldest: oldest[0]?._id ?? null, newest, issued: counter?.seq ?? newest ?? 0 };
    },
    async prune(before, keep) {
      let deleted = (await run(() => changes.deleteMany({ at: { $lt: before } }))).deletedCount;
      const newest = await newestSeq();
      if (newest !== null)
        deleted += (await run(() => changes.deleteMany({ _id: { $lte: newest - keep } }))).deletedCount;
      return deleted;
    },
    async claimOnce(id, expiresAt, now) {
      await run(() => used.deleteMany({ expires_at: { $lt: now } }));
      try {
        await run(() => used.insertOne({ _id: id, expires_at: expiresAt }));
        return true;
      } catch (err) {
        if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
        throw err;
      }
    },
  };
}
