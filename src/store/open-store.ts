// Chooses and opens the configured store. Each store's module (and its driver) is loaded only when chosen: SQLite
// never loads the MongoDB driver.
import type { Config } from '../config.js';
import type { OpenMongoOptions } from './mongo/mongo-store.js';
import type { Store } from './types.js';

export type OpenStoreOptions = OpenMongoOptions;

/** Stores whose opening made a new, empty database (a first run). */
const newDatabases = new WeakSet<Store>();

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.store === 'mongodb') {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(config.mongo, options);
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  const store = new SqliteStore(config.sqlitePath, { busyTimeoutMs: config.sqliteBusyTimeoutMs });
  if (store.info.created) newDatabases.add(store);
  return store;
}

/** Whether opening `store` (as openStore returned it) created its database just now. */
export const isNewDatabase = (store: Store): boolean => newDatabases.has(store);
