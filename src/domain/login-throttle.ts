// Throttling failed logins (OWASP): per account, growing delays instead of a lock an attacker could use
// against the user; per client address, a cap for the window. Counters live in the store, shared by instances.
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/types.js';

export interface ThrottleDeps {
  store: Store;
  limits: Config['throttle'];
  now?: () => number;
}

const accountKey = (username: string) => `user:${username}`;
const addressKey = (address: string) => `ip:${address}`;

const tooMany = (retryAfterSeconds: number): AppError =>
  new AppError(429, 'Too Many Requests', `Too many failed logins; try again in ${retryAfterSeconds} seconds`, {
    shape: 'jwt',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** Throws 429 with Retry-After when this account or address must wait before another attempt. */
export async function checkLoginAllowed(deps: ThrottleDeps, username: string, address: string): Promise<void> {
  const now = (deps.now ?? Date.now)();
  const windowMs = deps.limits.windowSeconds * 1000;
  const [account, client] = await Promise.all([
    deps.store.auth.loginFailures(accountKey(username), now, windowMs),
    deps.store.auth.loginFailures(addressKey(address), now, windowMs),
  ]);
  if (client.count >= deps.limits.addressFailures) {
    throw tooMany(Math.max(1, Math.ceil((client.lastAt + windowMs - now) / 1000)));
  }
  const excess = account.count - deps.limits.accountFailures;
  if (excess >= 0) {
    const delaySeconds = Math.min(deps.limits.maxDelaySeconds, 2 ** excess);
    const waitMs = account.lastAt + delaySeconds * 1000 - now;
    if (waitMs > 0) throw tooMany(Math.ceil(waitMs / 1000));
  }
}

export async function recordLoginFailure(deps: ThrottleDeps, username: string, address: string): Promise<void> {
  const now = (deps.now ?? Date.now)();
  const windowMs = deps.limits.windowSeconds * 1000;
  await Promise.all([
    deps.store.auth.recordLoginFailure(accountKey(username), now, windowMs),
    deps.store.auth.recordLoginFailure(addressKey(address), now, windowMs),
  ]);
}

export async function recordLoginSuccess(deps: ThrottleDeps, username: string): Promise<void> {
  await deps.store.auth.clearLoginFailures(accountKey(username));
}
