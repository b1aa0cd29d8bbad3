// Chooses and opens the configured store.
import type { Config } from '../config.js';
import { openMongoStore, type OpenMongoOptions } from './mongo/mongo-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export type OpenStoreOptions = OpenMongoOptions;

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.store === 'mongodb') return openMongoStore(config.mongo, options);
  return new SqliteStore(config.sqlitePath, { busyTimeoutMs: config.sqliteBusyTimeoutMs });
}
