// Calendar feeds: a user makes a secret URL for a filtered schedule, lists and revokes them. The URL itself is the
// credential (calendar apps send no header), so it is 256 random bits, stored only as its SHA-256.
import { hashOfSecret, isSecretOf, sameHash } from '../auth/personal-secrets.js';
import { invalidParameter, notFound } from '../errors.js';
import {
  STREAM_STATUSES,
  type CredentialRecord,
  type FeedFilters,
  type Store,
  type StreamStatus,
  type User,
} from '../store/types.js';
import type { TalentDirectory } from '../talents/directory.js';
import { addCredential, LAST_USED_RESOLUTION_MS, checkCredentialName } from './api-keys.js';
import { rfc3339 } from './rfc3339.js';
import { isDisabled } from './sessions.js';

const MAX_VALUES = 50;

/** A filter as a client may send it: comma-separated, or an array of values. */
export type FilterInput = string | string[];

export interface NewFeedRequest {
  name?: string;
  talent?: FilterInput;
  group?: FilterInput;
  status?: FilterInput;
}

export interface FeedView {
  id: string;
  name: string;
  talent: string[] | null;
  group: string[] | null;
  status: StreamStatus[] | null;
  created_at: string;
  last_used_at: string | null;
}

export interface NewFeed extends FeedView {
  /** The secret URL (https or http, as the request came), and the same as webcal://: shown this once. */
  url: string;
  webcal_url: string;
}

export const feedView = (record: CredentialRecord): FeedView => ({
  id: record.id,
  name: record.name,
  talent: record.filters?.talents ?? null,
  group: record.filters?.groups ?? null,
  status: record.filters?.statuses ?? null,
  created_at: rfc3339(record.createdAt),
  last_used_at: record.lastUsedAt === null ? null : rfc3339(record.lastUsedAt),
});

function valuesOf(parameter: string, input: FilterInput | undefined): string[] | undefined {
  if (input === undefined) return undefined;
  const values = (Array.isArray(input) ? input : input.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (values.length === 0) throw invalidParameter(parameter, `${parameter} must name at least one value`);
  if (values.length > MAX_VALUES) throw invalidParameter(parameter, `${parameter} takes at most ${MAX_VALUES} values`);
  return [...new Set(values)].sort();
}

/** The filters checked against the talent directory, its groups and the v2 statuses (the words GET /api/v2/streams takes). */
export function checkFilters(request: NewFeedRequest, directory: TalentDirectory): FeedFilters {
  const filters: FeedFilters = {};
  const talents = valuesOf('talent', request.talent)?.map((c) => c.toUpperCase());
  if (talents !== undefined) {
    const unknown = talents.find((c) => directory.talent(c) === undefined);
    if (unknown !== undefined)
      throw invalidParameter(
        'talent',
        `talent "${unknown.slice(0, 40)}" is not in the directory (GET /api/v2/talents)`,
      );
    filters.talents = [...new Set(talents)].sort();
  }
  const groups = valuesOf('group', request.group);
  if (groups !== undefined) {
    const known = new Set(directory.groups().map((g) => g.id));
    const unknown = groups.find((g) => !known.has(g));
    if (unknown !== undefined)
      throw invalidParameter('group', `group "${unknown.slice(0, 40)}" does not exist (GET /api/v2/groups)`);
    filters.groups = groups;
  }
  const statuses = valuesOf('status', request.status);
  if (statuses !== undefined) {
    const unknown = statuses.find((s) => !(STREAM_STATUSES as readonly string[]).includes(s));
    if (unknown !== undefined)
      throw invalidParameter('status', `status "${unknown.slice(0, 40)}" is not one of ${STREAM_STATUSES.join(', ')}`);
    filters.statuses = statuses as StreamStatus[];
  }
  return filters;
}

/** A name for a feed made without one: what it shows. */
function defaultName(filters: FeedFilters, directory: TalentDirectory): string {
  const parts = [
    ...(filters.talents ?? []).map((c) => directory.talent(c)?.name ?? c),
    ...(filters.groups ?? []),
    ...(filters.statuses ?? []),
  ];
  const name = parts.length === 0 ? 'All streams' : parts.join(', ');
  return Array.from(name).length > 100 ? `${Array.from(name).slice(0, 99).join('')}…` : name;
}

/** Makes a feed; the caller turns the token into URLs. */
export async function createFeed(
  store: Store,
  directory: TalentDirectory,
  user: User,
  request: NewFeedRequest,
  now = Date.now(),
): Promise<{ feed: FeedView; token: string }> {
  const filters = checkFilters(request, directory);
  const name = request.name === undefined ? defaultName(filters, directory) : checkCredentialName(request.name);
  const { record, secret: token } = await addCredential(store, user, 'feed', {
    name,
    createdAt: now,
    expiresAt: null,
    userVersion: 0,
    filters,
  });
  return { feed: feedView(record), token };
}

export async function listFeeds(store: Store, user: User): Promise<FeedView[]> {
  return (await store.credentials.listOfUser(user.uid, 'feed')).map(feedView);
}

export async function revokeFeed(store: Store, user: User, id: string): Promise<void> {
  if (!(await store.credentials.remove(user.uid, 'feed', id))) throw notFound('no such feed');
}

/**
 * The feed a secret URL names, checked against the store on every fetch: unknown, revoked, or of a user who is
 * gone or disabled, it is a plain 404 (a feed URL says nothing about why).
 */
export async function feedOfToken(store: Store, token: string, now = Date.now()): Promise<CredentialRecord> {
  if (!isSecretOf('feed', token)) throw notFound();
  const hash = hashOfSecret(token);
  const record = await store.credentials.findByHash('feed', hash);
  if (record === null || !sameHash(record.hash, hash)) throw notFound();
  const user = await store.users.findByUid(record.userId);
  if (user === null || isDisabled(user)) throw notFound();
  await store.credentials.markUsed(record.id, now, LAST_USED_RESOLUTION_MS);
  return record;
}
