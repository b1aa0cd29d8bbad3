// Users in the original's `users` collection: `{_id, id, username, password}` plus fields of ours.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { conflict } from '../../errors.js';
import { OWN_USER_FIELDS, type User, type UserStore } from '../types.js';
import { newUserDocument, toUser, uidOfDocumentId, USER_FIELDS } from './documents.js';
import { guarded } from './unavailable.js';

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown): boolean => err instanceof MongoServerError && err.code === DUPLICATE_KEY;

const hasUid = (doc: Document): boolean => typeof doc.uid === 'string' && doc.uid !== '';

/**
 * Gives every user document without a uid the one its `_id` makes (run at start-up). Each write is a
 * compare-and-set on the value read, and the value is the same whoever writes it, so instances starting
 * together, or an older holodule writing beside us, cannot leave a user with two uids.
 */
export async function assignMissingUids(users: Collection): Promise<number> {
  let assigned = 0;
  for await (const doc of users.find({}, { projection: { _id: 1, uid: 1 } })) {
    if (!hasUid(doc) && (await storeUid(users, doc))) assigned++;
  }
  return assigned;
}

async function storeUid(users: Collection, doc: Document): Promise<boolean> {
  const filter = { _id: doc._id, uid: doc.uid === undefined ? { $exists: false } : doc.uid };
  return (await users.updateOne(filter, { $set: { uid: uidOfDocumentId(doc._id) } })).modifiedCount === 1;
}

/** `readOnly`: a migration's source, which is never written; users without a uid are read with the one they would get. */
export function mongoUserStore(users: Collection, timeoutMs: number, readOnly = false): UserStore {
  const read = { maxTimeMS: timeoutMs } as const;
  /** A user inserted without a uid since start-up (by hand, or by the original app) gets it on first read. */
  const withUid = async (doc: Document): Promise<User> => {
    if (!hasUid(doc) && !readOnly) await storeUid(users, doc);
    return toUser(doc);
  };
  return {
    findByUsername(username) {
      return guarded(timeoutMs, async () => {
        const doc = await users.findOne({ username }, read);
        return doc ? withUid(doc) : null;
      });
    },
    findByUid(uid) {
      return guarded(timeoutMs, async () => {
        const doc = await users.findOne({ uid }, read);
        return doc ? toUser(doc) : null;
      });
    },
    list() {
      return guarded(timeoutMs, async () => {
        const docs = await users.find({}, read).sort({ username: 1 }).toArray();
        return Promise.all(docs.map(withUid));
      });
    },
    create(user) {
      return guarded(timeoutMs, async () => {
        try {
          await users.insertOne(newUserDocument(user, randomUUID));
        } catch (err) {
          if (isDuplicate(err)) throw conflict(`user "${user.username}" already exists`);
          throw err;
        }
      });
    },
    insertIfAbsent(user) {
      // insertOne rather than an upsert: update operators would write the new document's fields out of order.
      return guarded(timeoutMs, async () => {
        try {
          await users.insertOne(newUserDocument(user, randomUUID));
          return true;
        } catch (err) {
          if (isDuplicate(err)) return false;
          throw err;
        }
      });
    },
    replacePassword(username, password, expected) {
      // The filter is the compare-and-set: two logins upgrading the same plain text cannot both win.
      const filter = expected === undefined ? { username } : { username, password: expected };
      return guarded(timeoutMs, async () => (await users.updateOne(filter, { $set: { password } })).matchedCount === 1);
    },
    remove(username) {
      return guarded(timeoutMs, async () => (await users.deleteOne({ username })).deletedCount === 1);
    },
    count() {
      return guarded(timeoutMs, () => users.countDocuments({}, { maxTimeMS: timeoutMs }));
    },
    updateExtra(username, patch) {
      const set: Record<string, unknown> = {};
      const unset: Record<string, ''> = {};
      for (const [field, value] of Object.entries(patch)) {
        // Never a contract field, _id, or the uid and creation time: those are not set through extra.
        if (field === '_id' || [...USER_FIELDS, ...OWN_USER_FIELDS].includes(field as never)) continue;
        if (value === undefined) unset[field] = '';
        else set[field] = value;
      }
      const update = {
        ...(Object.keys(set).length > 0 ? { $set: set } : {}),
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      };
      return guarded(timeoutMs, async () => {
        if (Object.keys(update).length === 0) return (await users.countDocuments({ username }, { limit: 1 })) === 1;
        return (await users.updateOne({ username }, update)).matchedCount === 1;
      });
    },
    bumpTokenVersion(username) {
      // $inc is atomic on the document and starts a missing field at 0, as the interface asks.
      return guarded(timeoutMs, async () => {
        // No projection: FerretDB's findAndModify lacks it, and a user document is small.
        const doc = await users.findOneAndUpdate(
          { username },
          { $inc: { token_version: 1 } },
          { returnDocument: 'after' },
        );
        return doc ? Number(doc.token_version) : null;
      });
    },
  };
}
