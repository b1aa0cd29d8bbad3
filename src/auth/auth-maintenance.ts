// Background upkeep while serving: re-read keys (a rotation made by another instance or the CLI)
// and prune expired revocations, refresh tokens, failure counters and keys.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import type { Keyring } from './keyring.js';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

export function startAuthMaintenance(store: Store, keyring: Keyring, config: Config, log: Logger): { stop(): void } {
  const reload = setInterval(() => {
    keyring
      .reload()
      .catch((err: unknown) => log.warn({ err }, 'could not re-read signing keys; keeping the ones loaded'));
  }, config.jwt.keysRefreshSeconds * 1000);
  const prune = setInterval(() => {
    store.auth
      .pruneExpired(Date.now())
      .then((n) => n > 0 && log.debug({ pruned: n }, 'pruned expired auth records'))
      .catch((err: unknown) => log.warn({ err }, 'could not prune expired auth records'));
  }, PRUNE_EVERY_MS);
  reload.unref();
  prune.unref();
  return {
    stop() {
      clearInterval(reload);
      clearInterval(prune);
    },
  };
}
