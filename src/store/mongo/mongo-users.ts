// Users in the original's `users` collection: `{_id, id, username, password}` plus fields of ours.
import { MongoServerError, type Collection } from 'mongodb';
import { conflict } from '../../errors.js';
import type { UserStore } from '../types.js';
import { newUserDocument, toUser } from './documents.js';
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
  };
}
