// What a CLI command needs: the config, and the store and hasher opened from it (closed when done).
import { createPasswordHasher, type PasswordHasher } from '../auth/passwords.js';
import { loadConfig, type Config } from '../config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';

export interface CommandContext {
  config: Config;
  store: Store;
  hasher: PasswordHasher;
}

export async function withStore<T>(fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // A command gives up after a few tries rather than wait forever for a database that is not there.
  const store = await openStore(config, { maxAttempts: 3 });
  try {
    return await fn({ config, store, hasher: await createPasswordHasher(config.passwords) });
  } finally {
    await store.close();
  }
}
