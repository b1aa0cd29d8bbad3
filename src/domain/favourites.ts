// Favourite talents: a user marks talents of the directory, by code, and reads them back (the page's star and its
// "favourites only" view). Kept on the server per user, so they follow the user from device to device.
import type { User } from '../store/types.js';
import { checkCode, existingTalent, type TalentDeps } from './talents.js';

export interface Favourites {
  /** Talent codes, in code order. */
  talents: string[];
}

export async function listFavourites(deps: TalentDeps, user: User): Promise<Favourites> {
  return { talents: await deps.store.favourites.listOfUser(user.uid) };
}

/** Marks a talent the directory knows (any case of its code); marking it again changes nothing. */
export async function addFavourite(deps: TalentDeps, user: User, code: string): Promise<void> {
  const talent = await existingTalent(deps, code);
  await deps.store.favourites.add(user.uid, talent.code, (deps.now ?? Date.now)());
}

/** Unmarks a talent; one that is not a favourite (or not in the directory any more) is no error. */
export async function removeFavourite(deps: TalentDeps, user: User, code: string): Promise<void> {
  checkCode(code);
  await deps.store.favourites.remove(user.uid, code.toUpperCase());
}
