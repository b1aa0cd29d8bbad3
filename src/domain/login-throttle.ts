// Throttling failed logins (OWASP): per account, growing delays instead of a lock an attacker could use
// against the user; per client address, a cap for the window. Counters live in the store, shared by instances.
// An attempt takes its slot in both counters *before* the password is checked, by compare-and-set, so a
// burst cannot get more guesses checked than the limits allow; a wrong password leaves the slot counted.
import { createKeyedQueue } from '../auth/keyed-queue.js';
import type { Config } from '../config.js';
import { AppError, serviceUnavailable } from '../errors.js';
import type { LoginCounter, Store } from '../store/types.js';

export interface ThrottleDeps {
  store: Store;
  limits: Config['throttle'];
  now?: () => number;
}

/** One login attempt that was let through: say how it ended. */
export interface LoginAttempt {
  /** The credentials were wrong: the slots stay counted, and the delays run from now, the failure's time. */
  failed(): Promise<void>;
  /** The password was right: the account's failures are forgotten, the address's slot is given back. */
  succeeded(): Promise<void>;
  /** It ended for another reason than the credentials (a store fault): both slots are given back. */
  abandoned(): Promise<void>;
}

export interface LoginThrottle {
  /** Takes an attempt for `username` from `address`, or throws 429 with Retry-After (503 if the store fails). */
  attempt(username: string, address: string): Promise<LoginAttempt>;
}

export const throttleKeys = {
  account: (username: string) => `user:${username}`,
  address: (address: string) => `ip:${address}`,
};

// Another instance writing the same counter makes a compare-and-set fail; past this many, refuse for now.
const MAX_SWAPS = 50;

const tooMany = (retryAfterSeconds: number): AppError =>
  new AppError(429, 'Too Many Requests', `Too many failed logins; try again in ${retryAfterSeconds} seconds`, {
    shape: 'jwt',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** A store that cannot count is a 503: the throttle fails closed, never lets an uncounted guess through. */
async function counted<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw err instanceof AppError ? err : serviceUnavailable(err);
  }
}

export function createLoginThrottle(deps: ThrottleDeps): LoginThrottle {
  const { store, limits } = deps;
  const now = deps.now ?? Date.now;
  const windowMs = limits.windowSeconds * 1000;
  // Within this instance the attempts on one counter queue up, so none has to retry a compare-and-set.
  const oneAtATime = createKeyedQueue();

  /** Seconds the account must wait before another attempt, or 0. */
  const accountWait = (counter: LoginCounter, at: number): number => {
    const excess = counter.count - limits.accountFailures;
    if (excess < 0) return 0;
    const delaySeconds = Math.min(limits.maxDelaySeconds, 2 ** excess);
    return Math.max(0, Math.ceil((counter.lastAt + delaySeconds * 1000 - at) / 1000));
  };
  const addressWait = (counter: LoginCounter, at: number): number =>
    counter.count < limits.addressFailures ? 0 : Math.max(1, Math.ceil((counter.lastAt + windowMs - at) / 1000));

  /** Counts one attempt on `key` unless `wait` says to wait; returns the window it was counted in, or the wait. */
  function take(key: string, wait: (counter: LoginCounter, at: number) => number) {
    return oneAtATime(key, async (): Promise<{ windowStart: number } | { retryAfter: number }> => {
      for (let tries = 0; tries < MAX_SWAPS; tries++) {
        const at = now();
        const stored = await store.auth.loginCounter(key);
        const current = stored && stored.windowStart >= at - windowMs ? stored : null;
        if (current) {
          const retryAfter = wait(current, at);
          if (retryAfter > 0) return { retryAfter };
        }
        const next = current
          ? { count: current.count + 1, windowStart: current.windowStart, lastAt: at }
          : { count: 1, windowStart: at, lastAt: at };
        if (await store.auth.swapLoginCounter(key, stored, next)) return { windowStart: next.windowStart };
      }
      return { retryAfter: 1 };
    });
  }

  /** Gives back an attempt counted on `key` in the window begun at `windowStart` (not one in a later window). */
  function giveBack(key: string, windowStart: number) {
    return oneAtATime(key, async () => {
      for (let tries = 0; tries < MAX_SWAPS; tries++) {
        const stored = await store.auth.loginCounter(key);
        if (!stored || stored.windowStart !== windowStart || stored.count <= 0) return;
        const next = stored.count === 1 ? null : { ...stored, count: stored.count - 1 };
        if (await store.auth.swapLoginCounter(key, stored, next)) return;
      }
    });
  }

  /** Moves the latest attempt on `key` to `at`, if it is still counted in the window begun at `windowStart`. */
  function markLatest(key: string, windowStart: number, at: number) {
    return oneAtATime(key, async () => {
      for (let tries = 0; tries < MAX_SWAPS; tries++) {
        const stored = await store.auth.loginCounter(key);
        if (!stored || stored.windowStart !== windowStart || stored.lastAt >= at) return;
        if (await store.auth.swapLoginCounter(key, stored, { ...stored, lastAt: at })) return;
      }
    });
  }

  return {
    async attempt(username, address) {
      const accountKey = throttleKeys.account(username);
      const addressKey = throttleKeys.address(address);
      const client = await counted(() => take(addressKey, addressWait));
      if ('retryAfter' in client) throw tooMany(client.retryAfter);
      let account: Awaited<ReturnType<typeof take>>;
      try {
        account = await counted(() => take(accountKey, accountWait));
      } catch (err) {
        await counted(() => giveBack(addressKey, client.windowStart));
        throw err;
      }
      if ('retryAfter' in account) {
        // A refused attempt is not a failure: it must not use up the address's budget.
        await counted(() => giveBack(addressKey, client.windowStart));
        throw tooMany(account.retryAfter);
      }
      return {
        async failed() {
          const at = now();
          await counted(async () => {
            await markLatest(accountKey, account.windowStart, at);
            await markLatest(addressKey, client.windowStart, at);
          });
        },
        async succeeded() {
          await counted(async () => {
            await store.auth.clearLoginFailures(accountKey);
            await giveBack(addressKey, client.windowStart);
          });
        },
        async abandoned() {
          await counted(async () => {
            await giveBack(accountKey, account.windowStart);
            await giveBack(addressKey, client.windowStart);
          });
        },
      };
    },
  };
}
