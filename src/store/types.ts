// The store interfaces: everything the domain, the HTTP layer and the collector need from a database.
// Implementations: sqlite/ (embedded default) and mongo/ (the original's database).

/** A stream document in the original's shape: every contract field is a string. */
export interface Stream {
  key: string;
  video_id: string;
  datetime: string;
  name: string;
  title: string;
  url: string;
  description: string;
  /** Fields of our own (or unknown ones found in the database), kept beside the contract's. */
  extra?: Record<string, unknown>;
}

/** The contract's fields, in the contract's order. */
export const STREAM_FIELDS = ['key', 'video_id', 'datetime', 'name', 'title', 'url', 'description'] as const;

export interface User {
  id: string;
  username: string;
  /** An Argon2id PHC string, or the original's plain text until the user's first login. */
  password: string;
  /** Fields of our own (or unknown ones found in the database), kept beside the contract's. */
  extra?: Record<string, unknown>;
}

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
}

export interface UserStore {
  findByUsername(username: string): Promise<User | null>;
  list(): Promise<User[]>;
  /** Throws AppError 409 when the username is taken. */
  create(user: User): Promise<void>;
  /** Inserts the user unless one with that username exists; returns whether it inserted. */
  insertIfAbsent(user: User): Promise<boolean>;
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

/** Auth state that must hold across instances and restarts. Times are epoch milliseconds. */
export interface AuthStore {
  revokeAccessToken(jti: string, expiresAt: number): Promise<void>;
  isAccessTokenRevoked(jti: string): Promise<boolean>;
  saveRefreshToken(record: RefreshTokenRecord): Promise<void>;
  /** Marks a refresh token used, once: the first caller gets `fresh`, every later one `reused`. */
  useRefreshToken(jti: string): Promise<RefreshUse>;
  /** Revokes every refresh token of a family (a login's chain of rotations). */
  revokeRefreshFamily(family: string): Promise<void>;
  familyOf(jti: string): Promise<string | null>;
  /** Counts a failed login for `key` in the window starting at `now - windowMs`; returns the failures in it. */
  recordLoginFailure(key: string, now: number, windowMs: number): Promise<number>;
  loginFailures(key: string, now: number, windowMs: number): Promise<{ count: number; lastAt: number }>;
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
  health(): Promise<Health>;
  /**
   * `holodule import`'s write: streams upserted by key, users added when absent (never overwritten).
   * SQLite writes it all in one transaction; MongoDB (no multi-document transaction on a standalone server)
   * writes in order, so callers check every document before calling this.
   */
  importAll(streams: Stream[], users: User[]): Promise<ImportCounts>;
  /** Whether requests can read and write now, answered within about `deadlineMs` (cheap: no data is written). */
  ready(deadlineMs: number): Promise<Readiness>;
  close(): Promise<void>;
}
