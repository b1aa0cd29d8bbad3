// The embedded store: one SQLite file (WAL), the contract's fields as columns, our own fields as JSON.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { conflict } from '../../errors.js';
import { facetsOf, movesOf } from '../stream-facets.js';
import {
  type AuthStore,
  type ChangeLogStore,
  type CounterStore,
  type CredentialStore,
  type FavouriteStore,
  type Health,
  type ImportCounts,
  type LeaseStore,
  type NewUser,
  OWN_USER_FIELDS,
  type Readiness,
  type Store,
  type Stream,
  type StreamQuery,
  type StreamStore,
  type TalentStore,
  type UpsertCounts,
  type UpsertOutcome,
  type User,
  type UserStore,
} from '../types.js';
import { ChangeStamp, UntilChanged } from './change-stamp.js';
import { cachedDays } from './day-cache.js';
import { hasKeys, parseExtra, type StreamRow, toStream } from './stream-rows.js';
import { sqliteAuthStore } from './sqlite-auth-store.js';
import { CHANGES_SQL, sqliteChangeLog } from './sqlite-changes.js';
import { DAY_ANSWERS_SQL, sqliteDayAnswers, TouchedDays } from './sqlite-day-answers.js';
import { FACET_INDEX_SQL, SCHEMA_SQL, upgradeSchema } from './schema.js';
import { countersPath, sqliteCounterStore } from './sqlite-counters.js';
import { sqliteCredentialStore } from './sqlite-credentials.js';
import { sqliteFavouriteStore } from './sqlite-favourites.js';
import { guardedMethods, SqliteFile } from './sqlite-file.js';
import { sqliteTalentStore } from './sqlite-talent-store.js';
import { addFacetColumns, streamQuerySql } from './stream-query.js';
import { storedExtraOf } from '../stream-state.js';
import { readUserState, storedStateOf } from '../user-state.js';

/** The day query, exported so tests can check its plan uses the index. */
export const DAY_QUERY_SQL =
  'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules ' +
  'WHERE datetime >= ? AND datetime < ? ORDER BY datetime DESC, key DESC';

interface UserRow {
  id: string;
  username: string;
  password: string;
  extra: string | null;
  /** Null only for a row written by an older holodule since this file was upgraded. */
  uid: string | null;
  created_at: number | null;
}

const USER_COLUMNS = 'id, username, password, extra, uid, created_at';

// On every protected request: one object, no copies.
function toUser(row: UserRow, uid: string): User {
  const { state, extra } = readUserState(parseExtra(row.extra));
  const user: User = { id: row.id, username: row.username, password: row.password, uid, ...state };
  if (row.created_at !== null) user.createdAt = row.created_at;
  if (extra !== undefined && hasKeys(extra)) user.extra = extra;
  return user;
}

/** `extra` without our own fields: those are columns, and one field never lives in two places. */
function ownExtra(extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept = { ...extra };
  for (const field of OWN_USER_FIELDS) delete kept[field];
  return kept;
}

/** The next string after every string that starts with `prefix` followed by a space or digit. */
export const dayUpperBound = (day: string): string => `${day}~`;

export interface SqliteStoreInfo {
  /** True when this open created the database file: the only case where sample data may be seeded. */
  created: boolean;
}

export interface SqliteStoreOptions {
  /** How long a write waits while another process holds the lock, before 503 (default 5 s). */
  busyTimeoutMs?: number;
}

/** One open connection and the stores built on its prepared statements. */
interface Connection {
  readonly db: Database.Database;
  readonly streams: StreamStore;
  readonly users: UserStore;
  readonly leases: LeaseStore;
  readonly auth: AuthStore;
  readonly talents: TalentStore;
  readonly changes: ChangeLogStore;
  readonly credentials: CredentialStore;
  readonly favourites: FavouriteStore;
  readonly importAll: (streams: Stream[], users: NewUser[]) => ImportCounts;
  readonly stamp: ChangeStamp;
}

function setUp(db: Database.Database): Connection {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // 8 MiB of pages (SQLite's default: 2 MiB): the day answers read often stay in memory, not in system calls.
  db.pragma('cache_size = -8192');
  db.exec(SCHEMA_SQL);
  upgradeSchema(db);
  addFacetColumns(db);
  db.exec(FACET_INDEX_SQL);
  db.exec(CHANGES_SQL);
  db.exec(DAY_ANSWERS_SQL);
  // One per connection: every cache on it asks whether the file changed through this one.
  const stamp = new ChangeStamp(db);
  const { upsertAllNow, ...streams } = streamStore(db, stamp);
  const { insertIfAbsentNow, ...users } = userStore(db, stamp);
  const importAll = db.transaction((batch: Stream[], newUsers: NewUser[]): ImportCounts => {
    const counts = { streams: upsertAllNow(batch), users: { added: 0, kept: 0 } };
    for (const user of newUsers) counts.users[insertIfAbsentNow(user) ? 'added' : 'kept']++;
    return counts;
  });
  return {
    db,
    streams,
    users,
    leases: leaseStore(db),
    auth: sqliteAuthStore(db, stamp),
    talents: sqliteTalentStore(db),
    changes: sqliteChangeLog(db),
    credentials: sqliteCredentialStore(db),
    favourites: sqliteFavouriteStore(db),
    importAll,
    stamp,
  };
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly streams: StreamStore;
  readonly users: UserStore;
  readonly leases: LeaseStore;
  readonly auth: AuthStore;
  readonly talents: TalentStore;
  readonly counters: CounterStore;
  readonly changes: ChangeLogStore;
  readonly credentials: CredentialStore;
  readonly favourites: FavouriteStore;
  readonly info: SqliteStoreInfo;
  private readonly file: SqliteFile<Connection>;
  private readonly counterFile: ReturnType<typeof sqliteCounterStore>;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.file = new SqliteFile(path, setUp, {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      writeProbeSql: 'DELETE FROM leases WHERE 0',
    });
    this.info = { created: this.file.created };
    // Every operation goes through the file's guard, on whichever connection is open at the time.
    this.streams = guardedMethods(this.file, (c) => c.streams);
    this.users = guardedMethods(this.file, (c) => c.users);
    this.leases = guardedMethods(this.file, (c) => c.leases);
    this.auth = guardedMethods(this.file, (c) => c.auth);
    this.talents = guardedMethods(this.file, (c) => c.talents);
    this.changes = guardedMethods(this.file, (c) => c.changes);
    this.credentials = guardedMethods(this.file, (c) => c.credentials);
    this.favourites = guardedMethods(this.file, (c) => c.favourites);
    // Anonymous read counters live in a file of their own, so counting never empties the day cache.
    this.counterFile = sqliteCounterStore(countersPath(path));
    this.counters = this.counterFile;
  }

  async health(): Promise<Health> {
    const readiness = await this.file.ready(1000);
    return readiness.ok
      ? { ok: true, store: this.kind }
      : { ok: false, store: this.kind, detail: `database ${readiness.reason}` };
  }

  importAll(streams: Stream[], users: NewUser[]): Promise<ImportCounts> {
    return this.file.run((c) => c.importAll(streams, users));
  }

  ready(deadlineMs: number): Promise<Readiness> {
    return this.file.ready(deadlineMs);
  }

  beginRequest(): void {
    this.file.openConnection()?.stamp.holdFromNow();
  }

  async close(): Promise<void> {
    this.counterFile.close();
    this.file.close();
  }
}

/** The stream store, and its batch upsert as a plain call for use inside a larger transaction. */
function streamStore(
  db: Database.Database,
  stamp: ChangeStamp,
): StreamStore & { upsertAllNow: (streams: Stream[]) => UpsertCounts } {
  const byDay = db.prepare<[string, string], StreamRow>(DAY_QUERY_SQL);
  const loadDay = (day: string) => byDay.all(day, dayUpperBound(day)).map(toStream);
  const streamsOfDay = cachedDays(stamp, loadDay);
  const dayAnswers = sqliteDayAnswers(db, loadDay, stamp);
  const byKey = db.prepare<[string], StreamRow>(
    'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules WHERE key = ?',
  );
  const byVideoId = db.prepare<[string], StreamRow>(
    'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules WHERE video_id = ? ORDER BY datetime DESC LIMIT 1',
  );
  const byVideoIds = db.prepare<[string], StreamRow>(
    'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules ' +
      'WHERE video_id IN (SELECT value FROM json_each(?))',
  );
  const removeKey = db.prepare<[string]>('DELETE FROM holodules WHERE key = ?');
  const page = db.prepare<[string, number], StreamRow>(
    'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules WHERE key > ? ORDER BY key LIMIT ?',
  );
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM holodules');
  const insert = db.prepare(
    'INSERT INTO holodules (key, video_id, datetime, name, title, url, description, extra, start_utc, talent, status, search) ' +
      'VALUES (@key, @video_id, @datetime, @name, @title, @url, @description, @extra, @start, @talent, @status, @search)',
  );
  const update = db.prepare(
    'UPDATE holodules SET video_id = @video_id, datetime = @datetime, name = @name, title = @title, ' +
      'url = @url, description = @description, extra = @extra, ' +
      'start_utc = @start, talent = @talent, status = @status, search = @search WHERE key = @key',
  );
  const queries = new Map<string, Database.Statement<unknown[], StreamRow>>();
  const prepared = (sql: string): Database.Statement<unknown[], StreamRow> => {
    let statement = queries.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], StreamRow>(sql);
      // The shapes are few (which filters are present, how many codes): a bound keeps a stray client from growing it.
      if (queries.size >= 256) queries.clear();
      queries.set(sql, statement);
    }
    return statement;
  };
  const withFacets = (row: StreamRow) => ({ ...row, ...facetsOf(toStream(row)) });
  // The v2 queries' answers, kept like the days' (day-cache.ts): a popular query is read from SQLite once a change.
  const cachedQueries = cachedDays(stamp, (key) => {
    const { sql, params } = streamQuerySql(JSON.parse(key) as StreamQuery);
    return prepared(sql)
      .all(...params)
      .map(toStream);
  });

  const toRow = (stream: Stream, previousExtra: string | null): StreamRow => {
    const merged = { ...parseExtra(previousExtra), ...storedExtraOf(stream) };
    return {
      key: stream.key,
      video_id: stream.video_id,
      datetime: stream.datetime,
      name: stream.name,
      title: stream.title,
      url: stream.url,
      description: stream.description,
      extra: hasKeys(merged) ? JSON.stringify(merged) : null,
    };
  };

  const upsertOne = (stream: Stream, touched: TouchedDays): UpsertOutcome => {
    const existing = byKey.get(stream.key);
    const row = toRow(stream, existing?.extra ?? null);
    if (!existing) {
      insert.run(withFacets(row));
      touched.touch(row.datetime);
      return 'inserted';
    }
    if (sameRow(existing, row)) return 'unchanged';
    update.run(withFacets(row));
    touched.touch(existing.datetime);
    touched.touch(row.datetime);
    return 'updated';
  };

  // Every write builds the answers of the days it touched before it commits: the next read is one lookup.
  const upsertAll = db.transaction((streams: Stream[]): UpsertCounts => {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const touched = new TouchedDays();
    for (const stream of streams) counts[upsertOne(stream, touched)]++;
    dayAnswers.rebuild(touched);
    return counts;
  });

  const move = db.transaction((fromKey: string, stream: Stream): UpsertOutcome => {
    const touched = new TouchedDays();
    const old = fromKey === stream.key ? undefined : byKey.get(fromKey);
    if (!old) {
      const outcome = upsertOne(stream, touched);
      dayAnswers.rebuild(touched);
      return outcome;
    }
    touched.touch(old.datetime);
    touched.touch(byKey.get(stream.key)?.datetime);
    touched.touch(stream.datetime);
    removeKey.run(fromKey);
    removeKey.run(stream.key);
    // Counted here, where the key changes, so a calendar's SEQUENCE grows with every reschedule.
    const moves = movesOf(parseExtra(old.extra)) + 1;
    insert.run(withFacets(toRow({ ...stream, extra: { ...stream.extra, moves } }, old.extra)));
    dayAnswers.rebuild(touched);
    return 'updated';
  });

  return {
    async findByDay(day) {
      return streamsOfDay(day);
    },
    async findDayAnswer(day, encoding) {
      return dayAnswers.find(day, encoding);
    },
    async findByKey(key) {
      const row = byKey.get(key);
      return row ? toStream(row) : null;
    },
    async findByVideoId(videoId) {
      const row = byVideoId.get(videoId);
      return row ? toStream(row) : null;
    },
    async findByVideoIds(videoIds) {
      if (videoIds.length === 0) return [];
      return byVideoIds.all(JSON.stringify(videoIds)).map(toStream);
    },
    upsertAllNow: upsertAll,
    async upsertMany(streams) {
      return upsertAll(streams);
    },
    async moveStream(fromKey, stream) {
      return move(fromKey, stream);
    },
    async count() {
      return countAll.get()?.n ?? 0;
    },
    async list(after, limit) {
      return page.all(after ?? '', limit).map(toStream);
    },
    async query(query) {
      return cachedQueries(JSON.stringify(query));
    },
  };
}

function sameRow(a: StreamRow, b: StreamRow): boolean {
  return (
    a.video_id === b.video_id &&
    a.datetime === b.datetime &&
    a.name === b.name &&
    a.title === b.title &&
    a.url === b.url &&
    a.description === b.description &&
    a.extra === b.extra
  );
}

/** The user store, and its insert-if-absent as a plain call for use inside a larger transaction. */
function userStore(
  db: Database.Database,
  stamp: ChangeStamp,
): UserStore & { insertIfAbsentNow: (user: NewUser) => boolean } {
  const byName = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`);
  const byUid = db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE uid = ?`);
  // Every request with a token reads its user: the row stays in memory until anything in the file changes.
  const rowsByUid = new UntilChanged<UserRow | undefined>(stamp, 10_000);
  const all = db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
  const insert = db.prepare(
    `INSERT INTO users (${USER_COLUMNS}) VALUES (@id, @username, @password, @extra, @uid, @created_at)`,
  );
  const insertIgnore = db.prepare(
    `INSERT INTO users (${USER_COLUMNS}) VALUES (@id, @username, @password, @extra, @uid, @created_at) ` +
      'ON CONFLICT(username) DO NOTHING',
  );
  const setUid = db.prepare<[string, string]>('UPDATE users SET uid = ? WHERE username = ? AND uid IS NULL');
  const uidOf = db.prepare<[string], { uid: string | null }>('SELECT uid FROM users WHERE username = ?');
  const setPassword = db.prepare<[string, string]>('UPDATE users SET password = ? WHERE username = ?');
  const setPasswordIf = db.prepare<[string, string, string]>(
    'UPDATE users SET password = ? WHERE username = ? AND password = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM users WHERE username = ?');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const extraOf = db.prepare<[string], { extra: string | null }>('SELECT extra FROM users WHERE username = ?');
  const setExtra = db.prepare<[string | null, string]>('UPDATE users SET extra = ? WHERE username = ?');
  const updateExtra = db.transaction((username: string, patch: (extra: Record<string, unknown>) => void) => {
    const row = extraOf.get(username);
    if (!row) return null;
    const extra = parseExtra(row.extra) ?? {};
    patch(extra);
    setExtra.run(hasKeys(extra) ? JSON.stringify(extra) : null, username);
    return extra;
  });

  const toRow = (user: NewUser) => {
    const extra = ownExtra(storedStateOf(user));
    return {
      id: user.id,
      username: user.username,
      password: user.password,
      extra: hasKeys(extra) ? JSON.stringify(extra) : null,
      uid: user.uid || randomUUID(),
      created_at: user.createdAt ?? Date.now(),
    };
  };

  /** A row an older holodule wrote after the upgrade has no uid yet: it gets one now (compare-and-set). */
  const withUid = (row: UserRow): User => {
    if (row.uid !== null) return toUser(row, row.uid);
    setUid.run(randomUUID(), row.username);
    return toUser(row, uidOf.get(row.username)?.uid ?? randomUUID());
  };

  return {
    async findByUsername(username) {
      const row = byName.get(username);
      return row ? withUid(row) : null;
    },
    async findByUid(uid) {
      const row = rowsByUid.get(uid, () => byUid.get(uid));
      return row ? withUid(row) : null;
    },
    async list() {
      return all.all().map(withUid);
    },
    async create(user) {
      try {
        insert.run(toRow(user));
      } catch (err) {
        if (String((err as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) {
          throw conflict(`user "${user.username}" already exists`);
        }
        throw err;
      }
    },
    insertIfAbsentNow: (user) => insertIgnore.run(toRow(user)).changes === 1,
    async insertIfAbsent(user) {
      return insertIgnore.run(toRow(user)).changes === 1;
    },
    async replacePassword(username, password, expected) {
      const result =
        expected === undefined ? setPassword.run(password, username) : setPasswordIf.run(password, username, expected);
      return result.changes === 1;
    },
    async remove(username) {
      return remove.run(username).changes === 1;
    },
    async count() {
      return countAll.get()?.n ?? 0;
    },
    async updateExtra(username, patch) {
      const updated = updateExtra(username, (extra) => {
        for (const [field, value] of Object.entries(ownExtra(patch))) {
          if (value === undefined) delete extra[field];
          else extra[field] = value;
        }
      });
      return updated !== null;
    },
    async bumpTokenVersion(username) {
      const updated = updateExtra(username, (extra) => {
        extra.token_version = (typeof extra.token_version === 'number' ? extra.token_version : 0) + 1;
      });
      return updated === null ? null : (updated.token_version as number);
    },
  };
}

function leaseStore(db: Database.Database): LeaseStore {
  // Taken when free, expired, or already ours: one statement, so two instances cannot both win.
  const take = db.prepare<{ name: string; holder: string; now: number; expires: number }>(
    'INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires) ' +
      'ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at ' +
      'WHERE leases.holder = excluded.holder OR leases.expires_at <= @now',
  );
  const giveUp = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?');
  return {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      return take.run({ name, holder, now, expires: now + ttlMs }).changes === 1;
    },
    async release(name, holder) {
      return giveUp.run(name, holder).changes === 1;
    },
  };
}
