// Favourite talents in a collection of our own: one document per user and talent code (`_id` joins the two,
// so marking twice is one document without a unique index of its own).
import type { Collection } from 'mongodb';
import type { FavouriteStore } from '../types.js';
import { guarded } from './unavailable.js';

export const FAVOURITES_COLLECTION = 'holodule_favourites';

export interface FavouriteDoc {
  _id: string;
  user_id: string;
  code: string;
  created_at: number;
}

/** The pair as JSON text: unambiguous whatever characters a uid holds. */
const idOf = (userId: string, code: string): string => JSON.stringify([userId, code]);

export function mongoFavouriteStore(favourites: Collection<FavouriteDoc>, timeoutMs: number): FavouriteStore {
  const run = <T>(operation: () => Promise<T>): Promise<T> => guarded(timeoutMs, operation);
  return {
    async listOfUser(userId) {
      const docs = await run(() =>
        favourites
          .find({ user_id: userId }, { projection: { code: 1 } })
          .sort({ code: 1 })
          .maxTimeMS(timeoutMs)
          .toArray(),
      );
      return docs.map((doc) => doc.code);
    },
    async add(userId, code, at) {
      await run(() =>
        favourites.updateOne(
          { _id: idOf(userId, code) },
          { $setOnInsert: { user_id: userId, code, created_at: at } },
          { upsert: true },
        ),
      );
    },
    async remove(userId, code) {
      return (await run(() => favourites.deleteOne({ _id: idOf(userId, code) }))).deletedCount === 1;
    },
    async removeAllOfUser(userId) {
      return (await run(() => favourites.deleteMany({ user_id: userId }))).deletedCount;
    },
  };
}
