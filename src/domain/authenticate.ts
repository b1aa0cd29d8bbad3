// Logging in: the same answer for every credential failure.
import type { PasswordHasher } from '../auth/passwords.js';
import { isPasswordHash } from '../auth/passwords.js';
import { invalidCredentials } from '../errors.js';
import type { Store, User } from '../store/types.js';

export interface AuthenticateDeps {
  store: Store;
  hasher: PasswordHasher;
  upgradeLegacyPasswords: boolean;
  /** Told when a plain-text password was replaced by a hash (for the log). */
  onUpgrade?: (username: string) => void;
}

/** Checks a username and password; an unknown user costs the same hashing work as a wrong password. */
export async function authenticate(deps: AuthenticateDeps, username: string, password: string): Promise<User> {
  const user = await deps.store.users.findByUsername(username);
  if (!user) {
    await deps.hasher.burn(password);
    throw invalidCredentials();
  }
  if (!(await deps.hasher.verify(user.password, password))) throw invalidCredentials();
  if (deps.upgradeLegacyPasswords && !isPasswordHash(user.password)) {
    const hashed = await deps.hasher.hash(password);
    // Compare-and-set: a password changed meanwhile by someone else is never overwritten with this one.
    if (await deps.store.users.replacePassword(user.username, hashed, user.password)) deps.onUpgrade?.(user.username);
  }
  return user;
}
