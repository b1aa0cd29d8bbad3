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

export interface StreamStore {
  /** Streams whose `datetime` starts with `day` (YYYYMMDD), newest first (ties by key, descending). */
  findByDay(day: string): Promise<Stream[]>;
  findByKey(key: string): Promise<Stream | null>;
  findByVideoId(videoId: string): Promise<Stream | null>;
  /**
   * Inserts or replaces streams by `key`; `extra` is merged into what is stored. Idempotent, so a re-run
   * converges. SQLite writes the batch all or nothing; MongoDB writes each stream on its own (no
   * multi-document transaction, which a standalone server lacks), so a failure part-way leaves a prefix.
   */
  upsertMany(streams: Stream[]): Promise<UpsertCounts>;
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
}

export interface Health {
  ok: boolean;
  store: string;
  detail?: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly streams: StreamStore;
  readonly users: UserStore;
  health(): Promise<Health>;
  close(): Promise<void>;
}
