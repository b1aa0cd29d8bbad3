// Managing users: the rules a username and a new password must meet, and the operations the CLI offers.
import { randomUUID } from 'node:crypto';
import type { PasswordHasher } from '../auth/passwords.js';
import { isPasswordHash } from '../auth/passwords.js';
import { AppError, badRequest } from '../errors.js';
import type { Store } from '../store/types.js';

export const MAX_PASSWORD_BYTES = 1024;
const USERNAME = /^[^\s\p{C}]{1,256}$/u;

export interface UserDeps {
  store: Store;
  hasher: PasswordHasher;
  minPasswordLength: number;
}

export interface UserSummary {
  id: string;
  username: string;
  /** `argon2id`, or `plain-text` for a user stored the original way who has not logged in since. */
  password: 'argon2id' | 'plain-text';
}

export function checkUsername(username: string): string {
  if (!USERNAME.test(username)) {
    throw badRequest('a username is 1 to 256 characters, without spaces or control characters');
  }
  return username;
}

/** OWASP: a minimum length, a generous maximum, and never silently truncated. */
export function checkNewPassword(password: string, minLength: number): string {
  if ([...password].length < minLength) throw badRequest(`a password needs at least ${minLength} characters`);
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw badRequest(`a password may be at most ${MAX_PASSWORD_BYTES} bytes`);
  }
  return password;
}

export async function addUser(deps: UserDeps, username: string, password: string): Promise<UserSummary> {
  const user = {
    id: randomUUID(),
    username: checkUsername(username),
    password: await deps.hasher.hash(checkNewPassword(password, deps.minPasswordLength)),
  };
  await deps.store.users.create(user);
  return { id: user.id, username: user.username, password: 'argon2id' };
}

export async function listUsers(store: Store): Promise<UserSummary[]> {
  return (await store.users.list()).map((u) => ({
    id: u.id,
    username: u.username,
    password: isPasswordHash(u.password) ? 'argon2id' : 'plain-text',
  }));
}

export async function changePassword(deps: UserDeps, username: string, password: string): Promise<void> {
  const hashed = await deps.hasher.hash(checkNewPassword(password, deps.minPasswordLength));
  if (!(await deps.store.users.replacePassword(username, hashed))) throw noSuchUser(username);
}

export async function removeUser(store: Store, username: string): Promise<void> {
  if (!(await store.users.remove(username))) throw noSuchUser(username);
}

const noSuchUser = (username: string): AppError => new AppError(404, 'Not found', `no user "${username}"`);
