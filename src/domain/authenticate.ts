// Logging in and recognising a token's user: the same answer for every credential failure.
import type { PasswordHasher } from '../auth/passwords.js';
import { isPasswordHash } from '../auth/passwords.js';
import { invalidCredentials, jwtError } from '../errors.js';
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

/** The user a verified token names; gone users get the contract's `User does not exist`. */
export async function userOfToken(store: Store, identity: string): Promise<User> {
  const user = await store.users.findByUsername(identity);
  if (!user) throw jwtError('Invalid JWT', 'User does not exist');
  return user;
}
