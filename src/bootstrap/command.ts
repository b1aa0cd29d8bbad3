// The composition root of a CLI command: the config, the store opened from it, and whatever else only when the
// command first asks for it (the password hasher and its Argon2 decoy, the collector). server.ts is `serve`'s.
import type { Logger } from 'pino';
import { lazyPasswordHasher, type PasswordHasher } from '../auth/passwords.js';
import type { Collector } from '../collector/collect.js';
import { type Config, loadConfig } from '../config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';

/** What a CLI command runs on: the config, the store opened from it, and parts made only when first used. */
export interface CommandContext {
  config: Config;
  store: Store;
  /** Builds its Argon2 decoy on first use: commands that never hash never pay for it. */
  hasher: PasswordHasher;
  /** A collector on this store, logging to `log`. */
  collector(log: Logger): Promise<Collector>;
}

/** Opens what a command needs, runs `fn`, closes the store whatever happens. */
export async function withCommandContext<T>(fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // A command gives up after a few tries rather than wait forever for a database that is not there.
  const store = await openStore(config, { maxAttempts: 3 });
  try {
    return await fn({
      config,
      store,
      hasher: lazyPasswordHasher(config.passwords),
      collector: async (log) => {
        const { createCollector } = await import('../collector/collect.js');
        return createCollector({ store, config: config.collector, log });
      },
    });
  } finally {
    await store.close();
  }
}
