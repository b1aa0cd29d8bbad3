// The MongoDB store: the original's `holoduledb` (users, holodules), read and written in its own shape.
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { ConfigError, type Config } from '../../config.js';
import type {
  AuthStore,
  ChangeLogStore,
  CounterStore,
  CredentialStore,
  FavouriteStore,
  Health,
  ImportCounts,
  LeaseStore,
  NewUser,
  Readiness,
  Store,
  Stream,
  StreamStore,
  TalentStore,
  UserStore,
} from '../types.js';
import { mongoAuthStore } from './mongo-auth.js';
import { mongoChangeLog } from './mongo-changes.js';
import { DAY_ANSWERS_COLLECTION, mongoDayAnswers } from './mongo-day-answers.js';
import { mongoConnection, type MongoConnection } from './connection.js';
import { COUNTERS_COLLECTION, mongoCounterStore } from './mongo-counters.js';
import { CREDENTIALS_COLLECTION, mongoCredentialStore } from './mongo-credentials.js';
import { FAVOURITES_COLLECTION, mongoFavouriteStore } from './mongo-favourites.js';
import { LEASES_COLLECTION, mongoLeaseStore } from './mongo-leases.js';
import { ensureIndexes } from './indexes.js';
import { mongoStreamStore } from './mongo-streams.js';
import { mongoTalentStore } from './mongo-talents.js';
import { assignMissingUids, mongoUserStore } from './mongo-users.js';
import { guarded, isUnavailable } from './unavailable.js';
import { StoreStartError } from '../store-error.js';

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly streams: StreamStore;
  readonly users: UserStore;
  readonly auth: AuthStore;
  readonly leases: LeaseStore;
  readonly talents: TalentStore;
  readonly counters: CounterStore;
  readonly changes: ChangeLogStore;
  readonly credentials: CredentialStore;
  readonly favourites: FavouriteStore;

  constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    private readonly timeoutMs: number,
    readOnly = false,
  ) {
    this.streams = mongoStreamStore(db.collection('holodules'), timeoutMs, (loadDay) =>
      mongoDayAnswers(db.collection(DAY_ANSWERS_COLLECTION), loadDay, timeoutMs),
    );
    this.users = mongoUserStore(db.collection('users'), timeoutMs, readOnly);
    this.auth = mongoAuthStore(db, timeoutMs);
    this.leases = mongoLeaseStore(db.collection(LEASES_COLLECTION), timeoutMs);
    this.talents = mongoTalentStore(db.collection('talents'), timeoutMs);
    this.counters = mongoCounterStore(db.collection(COUNTERS_COLLECTION), timeoutMs);
    this.changes = mongoChangeLog(db, timeoutMs);
    this.credentials = mongoCredentialStore(db.collection(CREDENTIALS_COLLECTION), timeoutMs);
    this.favourites = mongoFavouriteStore(db.collection(FAVOURITES_COLLECTION), timeoutMs);
  }

  async health(): Promise<Health> {
    try {
      await guarded(this.timeoutMs, () => this.db.command({ ping: 1 }));
      return { ok: true, store: this.kind };
    } catch {
      return { ok: false, store: this.kind, detail: 'database unreachable' };
    }
  }

  async importAll(streams: Stream[], users: NewUser[]): Promise<ImportCounts> {
    const counts = { streams: await this.streams.upsertMany(streams), users: { added: 0, kept: 0 } };
    for (const user of users) counts.users[(await this.users.insertIfAbsent(user)) ? 'added' : 'kept']++;
    return counts;
  }

  /** A ping, within the deadline (or the store's own timeout, if shorter). */
  /** Every read is a round trip to the server: nothing is kept that a request could find stale. */
  beginRequest(): void {}

  async ready(deadlineMs: number): Promise<Readiness> {
    try {
      await guarded(Math.min(deadlineMs, this.timeoutMs), () => this.db.command({ ping: 1 }));
      return { ok: true };
    } catch {
      return { ok: false, reason: 'unreachable' };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export interface OpenMongoOptions {
  /** Where the one-line retry notices go (default: stderr). */
  log?: (line: string) => void;
  /** Stops the retries (e.g. on SIGTERM while the database is still down). */
  signal?: AbortSignal;
  /** Attempts before giving up; default: until it works or `signal` aborts. */
  maxAttempts?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Only read from this database (a migration's source): check the data, create no index. */
  readOnly?: boolean;
}

const AUTHENTICATION_FAILED = 18;
const UNAUTHORIZED = 13;

/** The first line of a driver message, short enough for a log line (never shown to clients). */
const reasonOf = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);

async function connectOnce(
  connection: MongoConnection,
  config: Config['mongo'],
  readOnly: boolean,
): Promise<MongoStore> {
  const client = new MongoClient(connection.url, connection.options);
  try {
    await client.connect();
    const db = client.db(config.database);
    await db.command({ ping: 1 });
    await ensureIndexes(db, { create: !readOnly });
    if (!readOnly) await assignMissingUids(db.collection('users'));
    return new MongoStore(client, db, config.timeoutMs, readOnly);
  } catch (err) {
    await client.close().catch(() => undefined);
    // Credentials are not retried: waiting will not make a wrong password right.
    if (err instanceof MongoServerError && err.code === AUTHENTICATION_FAILED) {
      const variable = config.url === undefined ? 'MONGODB_PASSWORD' : 'MONGODB_URL';
      const against = config.url === undefined ? 'admin' : "the URL's authSource";
      throw new ConfigError(
        variable,
        `MongoDB at ${connection.display} refused the credentials (authentication against ${against} failed)`,
      );
    }
    if (err instanceof MongoServerError && err.code === UNAUTHORIZED) {
      const variable = config.url === undefined ? 'MONGODB_USER' : 'MONGODB_URL';
      throw new ConfigError(
        variable,
        `MongoDB at ${connection.display} refused access to database ${config.database}: give credentials of a user with readWrite on it`,
      );
    }
    throw err;
  }
}

/**
 * Connects, checks and creates the indexes, and returns the store. While the database cannot be reached it
 * logs one line per attempt and tries again with a growing delay, instead of crashing into a restart loop.
 */
export async function openMongoStore(config: Config['mongo'], options: OpenMongoOptions = {}): Promise<MongoStore> {
  const connection = mongoConnection(config);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let delayMs = options.firstDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(connection, config, options.readOnly ?? false);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      const where = `MongoDB at ${connection.display} (database ${config.database})`;
      if (attempt >= maxAttempts)
        throw new MongoUnreachableError(`${where} is unreachable after ${attempt} attempts: ${reasonOf(err)}`);
      log(
        `${where} is unreachable: ${reasonOf(err)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`,
      );
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {});
      // Jitter keeps N instances that lost the database together from knocking on it in step.
      delayMs = Math.min(maxDelayMs, delayMs * 2) * (0.8 + Math.random() * 0.4);
    }
  }
}

export class MongoUnreachableError extends StoreStartError {
  constructor(message: string) {
    super(message);
    this.name = 'MongoUnreachableError';
  }
}
