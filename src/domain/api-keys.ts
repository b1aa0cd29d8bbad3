// Personal API keys: a user makes one, sees it once, lists and revokes them; a key read-authenticates as its user.
// A key ends when it is revoked, expires, or its user is deleted or disabled or changes password (the user's
// token version moves on): whatever would end every token of the user ends their keys too.
import { randomUUID } from 'node:crypto';
import { hashOfSecret, isSecretOf, newSecret, sameHash } from '../auth/personal-secrets.js';
import { conflict, invalidParameter, jwtError, notFound } from '../errors.js';
import type { CredentialRecord, Store, User } from '../store/types.js';
import { rfc3339 } from './rfc3339.js';
import { isDisabled, tokenVersionOf } from './sessions.js';
import { MAX_CREDENTIALS_PER_USER, MAX_CREDENTIAL_NAME, MAX_KEY_DAYS } from '../schemas/limits.js';

export { MAX_CREDENTIALS_PER_USER, MAX_CREDENTIAL_NAME, MAX_KEY_DAYS };

/** last_used_at is written at most this often per key, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const DAY_MS = 24 * 60 * 60 * 1000;
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export interface ApiKeyView {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export interface NewApiKey extends ApiKeyView {
  /** The key itself: shown this once, never again. */
  key: string;
}

export interface NewApiKeyRequest {
  name: string;
  expires_at?: string;
  expires_in_days?: number;
}

const orNull = (time: number | null): string | null => (time === null ? null : rfc3339(time));

export const apiKeyView = (record: CredentialRecord): ApiKeyView => ({
  id: record.id,
  name: record.name,
  created_at: rfc3339(record.createdAt),
  last_used_at: orNull(record.lastUsedAt),
  expires_at: orNull(record.expiresAt),
});

/** A credential's name: trimmed, 1–100 characters, no control characters. */
export function checkCredentialName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidParameter('name', 'name must not be empty');
  if (Array.from(trimmed).length > MAX_CREDENTIAL_NAME)
    throw invalidParameter('name', `name is at most ${MAX_CREDENTIAL_NAME} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw invalidParameter('name', 'name must not hold control characters');
  return trimmed;
}

function expiryOf(request: NewApiKeyRequest, now: number): number | null {
  if (request.expires_at !== undefined && request.expires_in_days !== undefined)
    throw invalidParameter('expires_at', 'give expires_at or expires_in_days, not both');
  if (request.expires_in_days !== undefined) return now + request.expires_in_days * DAY_MS;
  if (request.expires_at === undefined) return null;
  const at = INSTANT.test(request.expires_at) ? Date.parse(request.expires_at) : Number.NaN;
  if (Number.isNaN(at))
    throw invalidParameter(
      'expires_at',
      `expires_at must be an RFC 3339 time with a zone (2027-01-31T00:00:00Z), got "${request.expires_at.slice(0, 40)}"`,
    );
  if (at <= now) throw invalidParameter('expires_at', 'expires_at must be in the future');
  if (at > now + MAX_KEY_DAYS * DAY_MS)
    throw invalidParameter('expires_at', `expires_at is at most ${MAX_KEY_DAYS} days away`);
  return at;
}

/** Refuses a new credential past the per-user bound. */
export async function checkRoom(store: Store, user: User, kind: CredentialRecord['kind']): Promise<void> {
  if ((await store.credentials.listOfUser(user.uid, kind)).length >= MAX_CREDENTIALS_PER_USER) {
    const what = kind === 'api-key' ? 'API keys' : 'feeds';
    throw conflict(`you have ${MAX_CREDENTIALS_PER_USER} ${what}; revoke one first`);
  }
}

/**
 * Makes a new secret of `kind` for `user` (within the per-user bound), stores it as a record of its hash with
 * the given fields, and returns the record and the secret (shown once, never stored).
 */
export async function addCredential(
  store: Store,
  user: User,
  kind: CredentialRecord['kind'],
  fields: Pick<CredentialRecord, 'name' | 'createdAt' | 'expiresAt' | 'userVersion' | 'filters'>,
): Promise<{ record: CredentialRecord; secret: string }> {
  await checkRoom(store, user, kind);
  const secret = newSecret(kind);
  const record: CredentialRecord = {
    id: randomUUID(),
    kind,
    userId: user.uid,
    hash: hashOfSecret(secret),
    lastUsedAt: null,
    ...fields,
  };
  if (record.filters === undefined) delete record.filters;
  await store.credentials.add(record);
  return { record, secret };
}

export async function createApiKey(
  store: Store,
  user: User,
  request: NewApiKeyRequest,
  now = Date.now(),
): Promise<NewApiKey> {
  const name = checkCredentialName(request.name);
  const expiresAt = expiryOf(request, now);
  const { record, secret: key } = await addCredential(store, user, 'api-key', {
    name,
    createdAt: now,
    expiresAt,
    userVersion: tokenVersionOf(user),
  });
  return { ...apiKeyView(record), key };
}

/** The user's keys that still work or have only expired (those a password change or disable ended are gone). */
export async function listApiKeys(store: Store, user: User): Promise<ApiKeyView[]> {
  const records = await store.credentials.listOfUser(user.uid, 'api-key');
  return records.filter((r) => r.userVersion === tokenVersionOf(user)).map(apiKeyView);
}

export async function revokeApiKey(store: Store, user: User, id: string): Promise<void> {
  if (!(await store.credentials.remove(user.uid, 'api-key', id))) throw notFound('no such API key');
}

const badKey = (description: string) => jwtError('Invalid API key', description);

/**
 * The user an `X-API-Key` header names, checked on every request against the store (so a revocation, a
 * deletion or a disable made by any instance holds at once): the key exists, has not expired, and its user
 * exists, is enabled and has not changed password or been disabled since.
 */
export async function userOfApiKey(store: Store, key: string, now = Date.now()): Promise<User> {
  if (!isSecretOf('api-key', key)) throw badKey('X-API-Key does not hold a holodule API key (hdk_…)');
  const hash = hashOfSecret(key);
  const record = await store.credentials.findByHash('api-key', hash);
  if (record === null || !sameHash(record.hash, hash)) throw badKey('Unknown or revoked API key');
  if (record.expiresAt !== null && record.expiresAt <= now) throw badKey('API key has expired');
  const user = await store.users.findByUid(record.userId);
  if (user === null) throw badKey('User does not exist');
  if (isDisabled(user)) throw badKey('User is disabled');
  if (record.userVersion !== tokenVersionOf(user)) throw badKey('API key has been revoked');
  await store.credentials.markUsed(record.id, now, LAST_USED_RESOLUTION_MS);
  return user;
}
