// Users in the original's `users` collection: `{_id, id, username, password}` plus fields of ours.
import { MongoServerError, type Collection } from 'mongodb';
import { conflict } from '../../errors.js';
import type { UserStore } from '../types.js';
import { newUserDocument, toUser, USER_FIELDS } from './documents.js';
import { guarded } from './unavailable.js';

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown): boolean => err instanceof MongoServerError && err.code === DUPLICATE_KEY;

export function mongoUserStore(users: Collection, timeoutMs: number): UserStore {
  const read = { projection: { _id: 0 }, maxTimeMS: timeoutMs } as const;
  return {
    findByUsername(username) {
      return guarded(timeoutMs, async () => {
        const doc = await users.findOne({ username }, read);
        return doc ? toUser(doc) : null;
      });
    },
    list() {
      return guarded(timeoutMs, async () => (await users.find({}, read).sort({ username: 1 }).toArray()).map(toUser));
    },
    create(user) {
      return guarded(timeoutMs, async () => {
        try {
          await users.insertOne(newUserDocument(user));
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
          await users.insertOne(newUserDocument(user));
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
        // Never a contract field or _id: those are not "ours" to set through extra.
        if (field === '_id' || (USER_FIELDS as readonly string[]).includes(field)) continue;
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
