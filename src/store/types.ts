// The store interfaces: everything the domain, the HTTP layer and the collector need from a database.
// Implementations: sqlite/ (embedded default) and mongo/ (the original's database).
import type { DayAnswer, DayEncoding } from './day-answer.js';

import type { StreamFields } from '../schemas/stream.js';
import type { Role } from '../schemas/user.js';

/** What YouTube said about a stream, as the collector stores it (under `youtube`, its field names kept). */
export interface YouTubeData {
  /** `ok` when YouTube answered, `unavailable` once it stopped showing the video (private or deleted). */
  status?: string;
  channel_id?: string | null;
  channel_title?: string | null;
  published_at?: string | null;
  live_broadcast_content?: string | null;
  scheduled_start?: string | null;
  actual_start?: string | null;
  actual_end?: string | null;
}

/**
 * A stream's state of ours, parsed once by the store (stream-state.ts). Each field is absent when nothing is stored
 * (or, on a write, when the write says nothing of it: what is stored stands).
 */
export interface StreamState {
  /** YouTube's word (`upcoming`, `live`, `none`), `completed` once over, `unavailable` once YouTube hides it. */
  liveStatus?: string;
  youtube?: YouTubeData;
  /** When the collector first stored the stream (RFC 3339 UTC). */
  firstSeen?: string;
  /** When the collector last changed it (RFC 3339 UTC). */
  lastUpdated?: string;
  /** When the page stopped showing it; null once it showed it again. */
  disappearedAt?: string | null;
}

/** A stream document in the original's shape: every contract field is a string (src/schemas/stream.ts). */
export interface Stream extends StreamFields, StreamState {
  /** Fields holodule does not type (or unknown ones found in the database), kept beside the contract's. */
  extra?: Record<string, unknown>;
}

/** The contract's fields, in the contract's order. */
export const STREAM_FIELDS = ['key', 'video_id', 'datetime', 'name', 'title', 'url', 'description'] as const;

export interface User {
  id: string;
  username: string;
  /** An Argon2id PHC string, or the original's plain text until the user's first login. */
  password: string;
  /**
   * Ours: who the user is, for good. Made when the user is stored (or, for a user stored without one, the
   * first time the store sees it), never changed and never given to another user. Tokens carry it as `sub`.
   */
  uid: string;
  /** Ours: when the user was stored (epoch ms); absent for users that came from the original's database. */
  createdAt?: number;
  /** Ours, parsed once by the store (user-state.ts): `user` unless made an admin. */
  role: Role;
  /** Ours: a disabled user cannot log in, and its tokens stop working. */
  disabled: boolean;
  /** Ours: bumped when the password changes or every login is ended; older tokens stop working. */
  tokenVersion: number;
  /** Fields holodule does not know (e.g. the original database's), kept as they were. */
  extra?: Record<string, unknown>;
}

/**
 * A user to store: the store makes its `uid` (and stamps `createdAt`) unless given, as a migration gives them;
 * state not given is left as `extra` has it (a new user: a user, enabled, version 0).
 */
export type NewUser = Omit<User, 'uid' | 'createdAt' | 'role' | 'disabled' | 'tokenVersion'> & {
  uid?: string;
  createdAt?: number;
  role?: Role;
  disabled?: boolean;
  tokenVersion?: number;
};

/** Our own user fields, kept out of `extra` (and never set through `updateExtra`). */
export const OWN_USER_FIELDS = ['uid', 'created_at'] as const;

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportCounts {
  streams: UpsertCounts;
  users: { added: number; kept: number };
}

export interface StreamStore {
  /** Streams whose `datetime` starts with `day` (YYYYMMDD), newest first (ties by key, descending). */
  findByDay(day: string): Promise<Stream[]>;
  /**
   * The day's v1 answer (day-answer.ts) in `encoding`, as of the last write of the day's streams; null when the
   * day has none. Kept beside the streams and rewritten with them, so this is one lookup; a day never asked for
   * since the database was made by an older holodule is built on this first read and kept.
   */
  findDayAnswer(day: string, encoding: DayEncoding): Promise<DayAnswer | null>;
  findByKey(key: string): Promise<Stream | null>;
  findByVideoId(videoId: string): Promise<Stream | null>;
  /** The streams with any of these video ids, in no particular order (the collector's one lookup per run). */
  findByVideoIds(videoIds: string[]): Promise<Stream[]>;
  /**
   * Inserts or replaces streams by `key`; `extra` is merged into what is stored. Idempotent, so a re-run
   * converges. SQLite writes the batch all or nothing; MongoDB writes each stream on its own (no
   * multi-document transaction, which a standalone server lacks), so a failure part-way leaves a prefix.
   */
  upsertMany(streams: Stream[]): Promise<UpsertCounts>;
  /**
   * Re-keys a rescheduled stream in one step, so it never exists under both keys: the stream stored under
   * `fromKey` becomes `stream` (its `extra` merged into the old one's). Whatever was under `stream.key` is
   * replaced, as upsertMany would. Without a stream under `fromKey`, this is an upsert of `stream`.
   */
  moveStream(fromKey: string, stream: Stream): Promise<UpsertOutcome>;
  count(): Promise<number>;
  /** Every stream, in key order, a page at a time (for migrate/export). */
  list(after: string | null, limit: number): Promise<Stream[]>;
  /**
   * The streams that start in [fromUtc, toUtc) and match every filter given, in start order (ties by key),
   * after the `after` position when paging. Served by an index on both stores (docs/api-v2.md).
   */
  query(query: StreamQuery): Promise<Stream[]>;
}

/** What a v2 client can see of a stream's life: derived from what the collector stored (stream-facets.ts). */
export const STREAM_STATUSES = ['upcoming', 'live', 'ended', 'missing'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

export interface StreamQuery {
  /** Inclusive, RFC 3339 UTC as `Date.toISOString()` writes it. */
  fromUtc: string;
  /** Exclusive, same form. */
  toUtc: string;
  /** Talent codes (the first part of the key); absent: any. */
  talents?: string[];
  statuses?: StreamStatus[];
  /** Text already in search form (searchForm()): found in the stored search text, or a stream of one of `talents`. */
  text?: { needle: string; talents: string[] };
  order: 'asc' | 'desc';
  /** The last stream of the previous page: the page starts after it in `order`. */
  after?: { start: string; key: string };
  limit: number;
}

/**
 * What the collector and an admin know about a talent beyond the talents file: the name and avatar the page
 * showed last (`seen_*`), and an admin's corrections (the others), which win over the file.
 */
export interface TalentRecord {
  code: string;
  seen_name?: string;
  seen_avatar?: string;
  name?: string;
  name_en?: string;
  group?: string;
  avatar?: string;
  channel_id?: string;
}

export type TalentField = Exclude<keyof TalentRecord, 'code'>;

export interface TalentStore {
  list(): Promise<TalentRecord[]>;
  /** Sets the given fields of a talent's record, creating it; `null` removes a field. Returns the record. */
  update(code: string, fields: Partial<Record<TalentField, string | null>>): Promise<TalentRecord>;
}

export interface UserStore {
  findByUsername(username: string): Promise<User | null>;
  /** The user with this `uid`: what a token's `sub` names. */
  findByUid(uid: string): Promise<User | null>;
  list(): Promise<User[]>;
  /** Throws a `conflict` AppError when the username is taken. */
  create(user: NewUser): Promise<void>;
  /** Inserts the user unless one with that username exists; returns whether it inserted. */
  insertIfAbsent(user: NewUser): Promise<boolean>;
  /** Replaces the password only if it is still `expected` (compare-and-set); returns whether it did. */
  replacePassword(username: string, password: string, expected?: string): Promise<boolean>;
  remove(username: string): Promise<boolean>;
  count(): Promise<number>;
  /** Sets (or, with `undefined`, removes) fields of our own on a user; returns whether the user exists. */
  updateExtra(username: string, patch: Record<string, unknown>): Promise<boolean>;
  /** Adds one to the user's `token_version` atomically (tokens carrying an older one stop working). */
  bumpTokenVersion(username: string): Promise<number | null>;
}

/** A refresh token's server-side state: rotation and reuse detection need to know whether it was used. */
export interface RefreshTokenRecord {
  jti: string;
  family: string;
  /** The owner's `uid`: a refresh token is honoured only for the user it was issued to. */
  userId: string;
  /** The owner's username when issued, for people reading the table; never used for a check. */
  username: string;
  expiresAt: number;
}

export type RefreshUse = 'fresh' | 'reused' | 'unknown' | 'revoked';

/** A signing or verification key, shared by every instance on the store. */
export interface StoredKey {
  kid: string;
  alg: string;
  /** HMAC: the secret (base64url). Asymmetric: the private key as PKCS#8 PEM. */
  secret: string;
  /** Asymmetric: the public JWK (JSON); HMAC: null. */
  publicJwk: string | null;
  createdAt: number;
  /** When it stopped signing; verification goes on until `expiresAt`. */
  retiredAt: number | null;
  expiresAt: number | null;
}

/** Login attempts counted for one account or address: `count` in the window begun at `windowStart`, the latest at `lastAt`. */
export interface LoginCounter {
  count: number;
  windowStart: number;
  lastAt: number;
}

/** Auth state that must hold across instances and restarts. Times are epoch milliseconds. */
export interface AuthStore {
  /**
   * Revokes access tokens by an id the domain chooses (a login's family, or one token's `jti` or digest) until
   * `expiresAt`; revoked again, the later expiry holds.
   */
  revokeAccessToken(id: string, expiresAt: number): Promise<void>;
  /** Whether that id is revoked: one primary-key lookup, on every protected request. */
  isAccessTokenRevoked(id: string): Promise<boolean>;
  saveRefreshToken(record: RefreshTokenRecord): Promise<void>;
  /**
   * Marks a refresh token of `userId` used, once: the first caller gets `fresh`, every later one `reused`.
   * A token not on record, or on record for another user, is `unknown`.
   */
  useRefreshToken(jti: string, userId: string): Promise<RefreshUse>;
  /** Revokes every refresh token of a family (a login's chain of rotations). */
  revokeRefreshFamily(family: string): Promise<void>;
  /** The login throttle's counter under `key`, or null. Throws when what is stored is not a sound counter. */
  loginCounter(key: string): Promise<LoginCounter | null>;
  /**
   * Atomically replaces the counter under `key` with `next` (null: removes it), only if it is still
   * `expected` (null: there is none); returns whether it did. The throttle takes its attempts this way.
   */
  swapLoginCounter(key: string, expected: LoginCounter | null, next: LoginCounter | null): Promise<boolean>;
  clearLoginFailures(key: string): Promise<void>;
  listKeys(): Promise<StoredKey[]>;
  addKey(key: StoredKey, retireOthersAt: number, othersExpireAt: number): Promise<void>;
  /** Deletes revocations, refresh tokens, failure counters and keys past their expiry; returns how many. */
  pruneExpired(now: number): Promise<number>;
}

/** Named leases with an expiry, so that one of several instances sharing a database does a job (the collector). */
export interface LeaseStore {
  /**
   * Takes the lease for `holder` for `ttlMs`, or renews it if `holder` already holds it; a lease whose
   * holder stopped renewing is taken over once expired. Returns whether `holder` holds it now.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it (so another instance need not wait for expiry); returns whether it did. */
  release(name: string, holder: string): Promise<boolean>;
}

/** A counter's state after a hit: the hits in the current window and when that window ends (epoch ms). */
export interface CounterHit {
  count: number;
  resetAt: number;
}

/** Fixed-window hit counters shared by every instance on the store (the anonymous read limit). */
export interface CounterStore {
  /**
   * Counts one hit for `key`, atomically: in the current window, or as the first of a new window of
   * `windowMs` starting at `now` when there is none or it has ended.
   */
  hit(key: string, windowMs: number, now: number): Promise<CounterHit>;
  /** Deletes the counters whose window ended before `now`; returns how many. */
  prune(now: number): Promise<number>;
}

/** What the change log says happened to a stream (docs/events.md). */
export const CHANGE_TYPES = [
  'stream.added',
  'stream.updated',
  'stream.live',
  'stream.ended',
  'stream.missing',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A change to append: its type, the talent code it concerns (for filters) and its payload as JSON text. */
export interface NewChange {
  type: ChangeType;
  talent: string;
  data: string;
}

export interface Change extends NewChange {
  /** The change log's sequence: every append gets higher numbers than any before it, on every instance. */
  seq: number;
  /** When it was appended (epoch ms). */
  at: number;
}

export interface ChangeLogBounds {
  /** The lowest sequence still kept; null when the log is empty. */
  oldest: number | null;
  /** The highest sequence kept; null when the log is empty. */
  newest: number | null;
  /** The highest sequence ever handed out (0 before the first append), kept or pruned. */
  issued: number;
}

/**
 * The change log the collector appends to and every instance tails (GET /api/v2/events). Sequences only grow; on
 * MongoDB they are taken from a counter before the documents are written, so a reader may briefly see a later
 * sequence before an earlier one lands (the reader waits for the gap: src/domain/change-feed.ts).
 */
export interface ChangeLogStore {
  /** Appends the changes in order, stamped `at`; returns their sequences. */
  append(changes: NewChange[], at: number): Promise<number[]>;
  /** The changes after `seq`, in sequence order, at most `limit`. */
  after(seq: number, limit: number): Promise<Change[]>;
  bounds(): Promise<ChangeLogBounds>;
  /** Deletes the changes appended before `before`, and all but the newest `keep`; returns how many. */
  prune(before: number, keep: number): Promise<number>;
  /**
   * Records a single-use id (an events ticket's jti) until `expiresAt`: true the first time, false ever after
   * (on every instance). Ids past their expiry (at `now`) are deleted on the way.
   */
  claimOnce(id: string, expiresAt: number, now: number): Promise<boolean>;
}

/** What a personal credential is for: an API key (`X-API-Key`) or a calendar feed's secret URL. */
export type CredentialKind = 'api-key' | 'feed';

/** A calendar feed's filters, as the user gave them (normalised: sorted, distinct); absent: any. */
export interface FeedFilters {
  talents?: string[];
  groups?: string[];
  statuses?: StreamStatus[];
}

/**
 * A long-lived secret a user made for themself: only its SHA-256 is stored, never the secret. Times are epoch ms.
 */
export interface CredentialRecord {
  id: string;
  kind: CredentialKind;
  /** The owner's `uid`. */
  userId: string;
  name: string;
  /** SHA-256 of the whole secret, hex. */
  hash: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  /** The owner's token version when made (API keys end when it is bumped: a password change or a disable). */
  userVersion: number;
  /** Feeds only. */
  filters?: FeedFilters;
}

/** API keys and calendar feeds, shared by every instance on the store: a lookup per use, no cache. */
export interface CredentialStore {
  add(record: CredentialRecord): Promise<void>;
  /** The credential of this kind with this hash (an equality on a unique index), or null. */
  findByHash(kind: CredentialKind, hash: string): Promise<CredentialRecord | null>;
  /** A user's credentials of this kind, oldest first. */
  listOfUser(userId: string, kind: CredentialKind): Promise<CredentialRecord[]>;
  /** Removes the user's credential `id` of this kind; returns whether there was one. */
  remove(userId: string, kind: CredentialKind, id: string): Promise<boolean>;
  /** Removes every credential of the user (when the user is deleted); returns how many. */
  removeAllOfUser(userId: string): Promise<number>;
  /** Records a use at `at`, unless one was recorded less than `minIntervalMs` before (a write a minute at most). */
  markUsed(id: string, at: number, minIntervalMs: number): Promise<void>;
}

/** The talents each user marked as a favourite (by talent code), kept per user `uid`. */
export interface FavouriteStore {
  /** The user's favourite talent codes, in code order. */
  listOfUser(userId: string): Promise<string[]>;
  /** Marks `code` a favourite of the user (already one: nothing changes). */
  add(userId: string, code: string, at: number): Promise<void>;
  /** Unmarks it; returns whether it was a favourite. */
  remove(userId: string, code: string): Promise<boolean>;
  /** Removes every favourite of the user (when the user is deleted); returns how many. */
  removeAllOfUser(userId: string): Promise<number>;
}

export interface Health {
  ok: boolean;
  store: string;
  detail?: string;
}

/** Why a store cannot serve requests right now (what /readyz reports). */
export type NotReadyReason =
  | 'missing'
  | 'read-only'
  | 'locked'
  | 'disk-full'
  | 'unreadable'
  | 'unreachable'
  | 'timeout';

export type Readiness = { ok: true } | { ok: false; reason: NotReadyReason };

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly streams: StreamStore;
  readonly users: UserStore;
  readonly leases: LeaseStore;
  readonly auth: AuthStore;
  readonly talents: TalentStore;
  readonly counters: CounterStore;
  readonly changes: ChangeLogStore;
  readonly credentials: CredentialStore;
  readonly favourites: FavouriteStore;
  health(): Promise<Health>;
  /**
   * `holodule import`'s write: streams upserted by key, users added when absent (never overwritten).
   * SQLite writes it all in one transaction; MongoDB (no multi-document transaction on a standalone server)
   * writes in order, so callers check every document before calling this.
   */
  importAll(streams: Stream[], users: NewUser[]): Promise<ImportCounts>;
  /** Whether requests can read and write now, answered within about `deadlineMs` (cheap: no data is written). */
  ready(deadlineMs: number): Promise<Readiness>;
  /**
   * A request begins: every read from now on sees every write committed before this call (on any instance),
   * and the reads until the event loop's next check phase may share one check of whether anything changed
   * (SQLite: one `PRAGMA data_version` per request instead of one per store call). MongoDB: nothing to do.
   */
  beginRequest(): void;
  close(): Promise<void>;
}
