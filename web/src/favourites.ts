// The signed-in user's favourite talents, kept on the server (GET/PUT/DELETE /api/v2/me/favourites).
import { getJson, request } from './api';
import { sessionState } from './session';
import { Value } from './state';
import type { Favourites } from './types';

/** null: signed out (no favourites to show) or not loaded yet. */
export const favourites = new Value<ReadonlySet<string> | null>(null);

async function load(): Promise<void> {
  try {
    const body = await getJson<Favourites>('/api/v2/me/favourites');
    favourites.set(new Set(body.talents.map((code) => code.toUpperCase())));
  } catch {
    favourites.set(new Set());
  }
}

sessionState.subscribe((state) => {
  if (state.status === 'signed-in') void load();
  else favourites.set(null);
});

export async function setFavourite(code: string, on: boolean): Promise<void> {
  const key = code.toUpperCase();
  const before = favourites.get() ?? new Set<string>();
  const next = new Set(before);
  if (on) next.add(key);
  else next.delete(key);
  favourites.set(next);
  try {
    await request(`/api/v2/me/favourites/${encodeURIComponent(key)}`, { method: on ? 'PUT' : 'DELETE' });
  } catch (error) {
    favourites.set(before);
    throw error;
  }
}
