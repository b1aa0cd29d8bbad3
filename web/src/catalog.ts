// Groups and talents, asked once per session state (a public server answers them signed out too): the
// filters' choices and each talent's avatar on the cards.
import { getJson } from './api';
import { sessionState } from './session';
import { Value } from './state';
import type { Group, Talent } from './types';

export interface Catalog {
  groups: Group[];
  talents: Talent[];
  byCode: Map<string, Talent>;
}

export const catalog = new Value<Catalog | null>(null);
let loading: Promise<Catalog | null> | null = null;

export function loadCatalog(): Promise<Catalog | null> {
  loading ??= (async () => {
    try {
      const [groups, talents] = await Promise.all([
        getJson<Group[]>('/api/v2/groups'),
        getJson<Talent[]>('/api/v2/talents'),
      ]);
      const value = { groups, talents, byCode: new Map(talents.map((t) => [t.code.toUpperCase(), t])) };
      catalog.set(value);
      return value;
    } catch {
      loading = null;
      return null;
    }
  })();
  return loading;
}

sessionState.subscribe((state) => {
  if (state.status === 'checking') return;
  loading = null;
  void loadCatalog();
});
