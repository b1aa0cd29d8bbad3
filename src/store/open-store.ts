// Chooses and opens the configured store.
import { ConfigError, type Config } from '../config.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export async function openStore(config: Config): Promise<Store> {
  if (config.store === 'mongodb') {
    throw new ConfigError('HOLODULE_STORE', 'the MongoDB store is not part of this build yet');
  }
  return new SqliteStore(config.sqlitePath);
}
