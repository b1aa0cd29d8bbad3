// Managing users: the rules a username and a new password must meet, and the operations the CLI offers.
import { randomUUID } from 'node:crypto';
import type { PasswordHasher } from '../auth/passwords.js';
import { isPasswordHash } from '../auth/passwords.js';
import { AppError, badRequest } from '../errors.js';
import type { NewUser, Store, User } from '../store/types.js';
import { isDisabled, roleOf } from './sessions.js';
import { USERNAME_RULE, isValidUsername } from './username-rule.js';

export const MAX_PASSWORD_BYTES = 1024;
export { MAX_USERNAME_LENGTH } from './username-rule.js';
/** A new password's bound in characters: 256 code points are never over 1024 bytes, and JSON Schema can state it. */
export const MAX_PASSWORD_CHARACTERS = MAX_PASSWORD_BYTES / 4;

export interface UserDeps {
  store: Store;
  hasher: PasswordHasher;
  minPasswordLength: number;
}

export type Role = 'admin' | 'user';

export interface UserSummary {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  /** `argon2id`, or `plain-text` for a user stored the original way who has not logged in since. */
  password: 'argon2id' | 'plain-text';
}

const summaryOf = (u: NewUser): UserSummary => ({
  id: u.id,
  username: u.username,
  role: roleOf(u),
  disabled: isDisabled(u),
  password: isPasswordHash(u.password) ? 'argon2id' : 'plain-text',
});

export function checkUsername(username: string): string {
  if (!isValidUsername(username)) {
    throw badRequest(`a username is ${USERNAME_RULE}`);
  }
  return username;
}

export const passwordTooLong = `a password may be at most ${MAX_PASSWORD_CHARACTERS} characters (at most ${MAX_PASSWORD_BYTES} bytes)`;

/** OWASP: a minimum length, a generous maximum, and never silently truncated. */
export function checkNewPassword(password: string, minLength: number): string {
  const characters = [...password].length;
  if (characters < minLength) throw badRequest(`a password needs at least ${minLength} characters`);
  if (characters > MAX_PASSWORD_CHARACTERS || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw badRequest(passwordTooLong);
  }
  return password;
}

export async function addUser(
  deps: UserDeps,
  username: string,
  password: string,
  role: Role = 'user',
): Promise<UserSummary> {
  const user: NewUser = {
    id: randomUUID(),
    username: checkUsername(username),
    password: await deps.hasher.hash(checkNewPassword(password, deps.minPasswordLength)),
    ...(role === 'admin' ? { extra: { role } } : {}),
  };
  await deps.store.users.create(user);
  return summaryOf(user);
}

export async function listUsers(store: Store): Promise<UserSummary[]> {
  return (await store.users.list()).map(summaryOf);
}

export async function getUser(store: Store, username: string): Promise<UserSummary> {
  const user = await store.users.findByUsername(username);
  if (!user) throw noSuchUser(username);
  return summaryOf(user);
}

/** Sets a new password and ends every token issued before it. */
export async function changePassword(deps: UserDeps, username: string, password: string): Promise<void> {
  const hashed = await deps.hasher.hash(checkNewPassword(password, deps.minPasswordLength));
  if (!(await deps.store.users.replacePassword(username, hashed))) throw noSuchUser(username);
  await deps.store.users.bumpTokenVersion(username);
}

/** A user changing their own password must know the current one (`undefined`: they did not give it). */
export async function changeOwnPassword(
  deps: UserDeps,
  user: User,
  current: string | undefined,
  next: string,
): Promise<void> {
  if (current === undefined) {
    throw badRequest('to change your own password, give current_password too (or use PUT /me/password)');
  }
  if (!(await deps.hasher.verify(user.password, current))) throw badRequest('the current password is not right');
  await changePassword(deps, user.username, next);
}

/** Disabling ends the user's tokens at once; enabling does not bring them back. */
export async function setDisabled(store: Store, username: string, disabled: boolean): Promise<UserSummary> {
  if (!(await store.users.updateExtra(username, { disabled: disabled ? true : undefined }))) throw noSuchUser(username);
  if (disabled) await store.users.bumpTokenVersion(username);
  return getUser(store, username);
}

export async function setRole(store: Store, username: string, role: Role): Promise<UserSummary> {
  if (!(await store.users.updateExtra(username, { role }))) throw noSuchUser(username);
  return getUser(store, username);
}

export async function removeUser(store: Store, username: string): Promise<void> {
  const user = await store.users.findByUsername(username);
  if (!user || !(await store.users.remove(username))) throw noSuchUser(username);
  // Its API keys and feeds already stopped working with it (their user is gone): this clears them away.
  await store.credentials.removeAllOfUser(user.uid);
  await store.favourites.removeAllOfUser(user.uid);
}

const noSuchUser = (username: string): AppError => new AppError(404, 'Not found', `no user "${username}"`);
