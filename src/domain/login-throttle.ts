// Throttling failed logins (OWASP): per account, growing delays instead of a lock an attacker could use
// against the user; per client address, a cap for the window. Counters live in the store, shared by instances.
// An attempt takes its slot in both counters *before* the password is checked, by compare-and-set, so a
// burst cannot get more guesses checked than the limits allow; a wrong password leaves the slot counted.
import { createKeyedQueue } from '../auth/keyed-queue.js';
import type { Config } from '../config.js';
import { AppError, serviceUnavailable, throttled } from '../errors.js';
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
  throttled(`Too many failed logins; try again in ${retryAfterSeconds} seconds`, retryAfterSeconds);

/** A store that cannot count is a 503: the throttle fails closed, never lets an uncounted guess through. */
async function counted<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw err instanceof AppError ? err : serviceUnavailable(err);
  }
}

interface Slot {
  key: string;
  /** The window it was counted in: giving it back never touches a later window's count. */
  windowStart: number;
  /** When it was taken (its counter's `lastAt` then), and the `lastAt` before, to put back if it is given back. */
  at: number;
  previousLastAt: number | null;
}

/** This instance's attempts holding a slot on each key, and who waits for one of them to end. */
function createInFlight() {
  const entries = new Map<string, { holding: number; waiters: Array<() => void> }>();
  return {
    hold(key: string): void {
      const entry = entries.get(key) ?? { holding: 0, waiters: [] };
      entry.holding++;
      entries.set(key, entry);
    },
    holding: (key: string): number => entries.get(key)?.holding ?? 0,
    /** Resolves when one of them ends; undefined when there is none. */
    nextEnd(key: string): Promise<void> | undefined {
      const entry = entries.get(key);
      return entry && entry.holding > 0 ? new Promise((resolve) => entry.waiters.push(resolve)) : undefined;
    },
    end(key: string): void {
      const entry = entries.get(key);
      if (!entry) return;
      entry.holding--;
      const waiters = entry.waiters.splice(0);
      if (entry.holding === 0) entries.delete(key);
      for (const wake of waiters) wake();
    },
  };
}

export function createLoginThrottle(deps: ThrottleDeps): LoginThrottle {
  const { store, limits } = deps;
  const now = deps.now ?? Date.now;
  const windowMs = limits.windowSeconds * 1000;
  // Within this instance the operations on one counter queue up, so none has to retry a compare-and-set.
  const oneAtATime = createKeyedQueue();
  const inFlight = createInFlight();

  /** Seconds the account must wait before another attempt, or 0. */
  const accountWait = (counter: LoginCounter, at: number): number => {
    const excess = counter.count - limits.accountFailures;
    if (excess < 0) return 0;
    const delaySeconds = Math.min(limits.maxDelaySeconds, 2 ** excess);
    return Math.max(0, Math.ceil((counter.lastAt + delaySeconds * 1000 - at) / 1000));
  };
  const addressWait = (counter: LoginCounter, at: number): number =>
    counter.count < limits.addressFailures ? 0 : Math.max(1, Math.ceil((counter.lastAt + windowMs - at) / 1000));

  /** Applies `change` to the counter under `key` by compare-and-set (undefined: leave it), retrying on a race. */
  function update(key: string, change: (stored: LoginCounter | null) => LoginCounter | null | undefined) {
    return oneAtATime(key, async () => {
      for (let tries = 0; tries < MAX_SWAPS; tries++) {
        const stored = await store.auth.loginCounter(key);
        const next = change(stored);
        if (next === undefined || (await store.auth.swapLoginCounter(key, stored, next))) return;
      }
    });
  }

  /**
   * Counts one attempt on `key` unless `wait` says to wait. An attempt refused while this instance's own
   * attempts on the key are still being checked waits for one to end and looks again (a success clears the
   * count), so one instance never refuses a right password only because others of its own were in flight.
   */
  async function take(key: string, wait: (counter: LoginCounter, at: number) => number): Promise<Slot | number> {
    for (;;) {
      const outcome = await oneAtATime(key, async (): Promise<Slot | { retryAfter: number; ended?: Promise<void> }> => {
        for (let tries = 0; tries < MAX_SWAPS; tries++) {
          const at = now();
          const stored = await store.auth.loginCounter(key);
          const current = stored && stored.windowStart >= at - windowMs ? stored : null;
          const retryAfter = current ? wait(current, at) : 0;
          if (retryAfter > 0) return { retryAfter, ended: inFlight.nextEnd(key) };
          const next = current
            ? { count: current.count + 1, windowStart: current.windowStart, lastAt: at }
            : { count: 1, windowStart: at, lastAt: at };
          if (await store.auth.swapLoginCounter(key, stored, next)) {
            inFlight.hold(key);
            return { key, windowStart: next.windowStart, at, previousLastAt: current?.lastAt ?? null };
          }
        }
        return { retryAfter: 1 };
      });
      if (!('retryAfter' in outcome)) return outcome;
      if (!outcome.ended) return outcome.retryAfter;
      await outcome.ended;
    }
  }

  /** Uncounts `slot`, putting back the counter's latest time if nothing came after it. */
  const giveBack = (slot: Slot) =>
    update(slot.key, (stored) => {
      if (!stored || stored.windowStart !== slot.windowStart || stored.count <= 0) return undefined;
      if (stored.count === 1) return null;
      const lastAt = stored.lastAt === slot.at && slot.previousLastAt !== null ? slot.previousLastAt : stored.lastAt;
      return { ...stored, count: stored.count - 1, lastAt };
    });

  /** Moves the counter's latest time to `at` (the failure's time), if `slot` is still counted there. */
  const markFailedAt = (slot: Slot, at: number) =>
    update(slot.key, (stored) =>
      stored && stored.windowStart === slot.windowStart && stored.lastAt < at ? { ...stored, lastAt: at } : undefined,
    );

  /** Forgets the failures under `slot`'s key; this instance's other attempts still being checked stay counted. */
  const forgetFailures = (slot: Slot) =>
    update(slot.key, (stored) => {
      if (!stored) return undefined;
      const others = inFlight.holding(slot.key) - 1;
      return others > 0 ? { ...stored, count: others } : null;
    });

  return {
    async attempt(username, address) {
      const account = await counted(() => take(throttleKeys.account(username), accountWait));
      if (typeof account === 'number') throw tooMany(account);
      let client: Slot | number;
      try {
        client = await counted(() => take(throttleKeys.address(address), addressWait));
        // A refused attempt is not a failure: it must not count against the account.
        if (typeof client === 'number') throw tooMany(client);
      } catch (err) {
        await counted(() => giveBack(account)).finally(() => inFlight.end(account.key));
        throw err;
      }
      const slots = [account, client];
      let ended = false;
      /** Ends the attempt once: its store changes, then (whatever they did) its place in flight. */
      const end = async (changes: () => Promise<unknown>) => {
        if (ended) return;
        ended = true;
        try {
          await counted(changes);
        } finally {
          for (const slot of slots) inFlight.end(slot.key);
        }
      };
      return {
        failed() {
          const at = now();
          return end(() => Promise.all(slots.map((slot) => markFailedAt(slot, at))));
        },
        succeeded() {
          return end(() => Promise.all([forgetFailures(account), giveBack(client)]));
        },
        abandoned() {
          return end(() => Promise.all(slots.map(giveBack)));
        },
      };
    },
  };
}
