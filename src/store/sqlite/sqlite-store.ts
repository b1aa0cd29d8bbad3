// The embedded store: one SQLite file (WAL), the contract's fields as columns, our own fields as JSON.
import { mkdirSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { conflict } from '../../errors.js';
import { facetsOf } from '../stream-facets.js';
import type {
  AuthStore,
  Health,
  LeaseStore,
  Store,
  Stream,
  StreamQuery,
  StreamStore,
  TalentStore,
  UpsertCounts,
  UpsertOutcome,
  User,
  UserStore,
} from '../types.js';
import { cachedDays } from './day-cache.js';
import { hasKeys, parseExtra, type StreamRow, toStream } from './stream-rows.js';
import { sqliteAuthStore } from './sqlite-auth-store.js';
import { FACET_INDEX_SQL, SCHEMA_SQL } from './schema.js';
import { addFacetColumns, streamQuerySql } from './stream-query.js';
import { sqliteTalentStore } from './sqlite-talent-store.js';

/** The day query, exported so tests can check its plan uses the index. */
export const DAY_QUERY_SQL =
  'SELECT key, video_id, datetime, name, title, url, description, extra FROM holodules ' +
  'WHERE datetime >= ? AND datetime < ? ORDER BY datetime DESC, key DESC';

type UserRow = Omit<User, 'extra'> & { extra: string | null };

function toUser(row: UserRow): User {
  const { extra, ...fields } = row;
  const parsed = parseExtra(extra);
  return hasKeys(parsed) ? { ...fields, extra: parsed } : fields;
}

/** The next string after every string that starts with `prefix` followed by a space or digit. */
export const dayUpperBound = (day: string): string => `${day}~`;

export interface SqliteStoreInfo {
  /** True when this open created the database file: the only case where sample data may be seeded. */
  created: boolean;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly streams: StreamStore;
  readonly users: UserStore;
  readonly leases: LeaseStore;
  readonly auth: AuthStore;
  readonly talents: TalentStore;
  readonly info: SqliteStoreInfo;
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const created = path === ':memory:' || !existsSync(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA_SQL);
    addFacetColumns(this.db);
    this.db.exec(FACET_INDEX_SQL);
    this.info = { created };
    this.streams = streamStore(this.db);
    this.users = userStore(this.db);
    this.leases = leaseStore(this.db);
    this.auth = sqliteAuthStore(this.db);
    this.talents = sqliteTalentStore(this.db);
  }

  async health(): Promise<Health> {
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, store: this.kind };
    } catch {
      return { ok: false, store: this.kind, detail: 'database unreadable' };
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function streamStore(db: Database.Database): StreamStore {
  const byDay = db.prepare<[string, string], StreamRow>(DAY_QUERY_SQL);
  const streamsOfDay = cachedDays(db, (day) => byDay.all(day, dayUpperBound(day)).map(toStream));
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
  const cachedQueries = cachedDays(db, (key) => {
    const { sql, params } = streamQuerySql(JSON.parse(key) as StreamQuery);
    return prepared(sql)
      .all(...params)
      .map(toStream);
  });

  const toRow = (stream: Stream, previousExtra: string | null): StreamRow => {
    const merged = { ...parseExtra(previousExtra), ...stream.extra };
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

  const upsertOne = (stream: Stream): UpsertOutcome => {
    const existing = byKey.get(stream.key);
    const row = toRow(stream, existing?.extra ?? null);
    if (!existing) {
      insert.run(withFacets(row));
      return 'inserted';
    }
    if (sameRow(existing, row)) return 'unchanged';
    update.run(withFacets(row));
    return 'updated';
  };

  const upsertAll = db.transaction((streams: Stream[]): UpsertCounts => {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const stream of streams) counts[upsertOne(stream)]++;
    return counts;
  });

  const move = db.transaction((fromKey: string, stream: Stream): UpsertOutcome => {
    const old = fromKey === stream.key ? undefined : byKey.get(fromKey);
    if (!old) return upsertOne(stream);
    removeKey.run(fromKey);
    removeKey.run(stream.key);
    insert.run(withFacets(toRow(stream, old.extra)));
    return 'updated';
  });

  return {
    async findByDay(day) {
      return streamsOfDay(day);
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

function userStore(db: Database.Database): UserStore {
  const byName = db.prepare<[string], UserRow>('SELECT id, username, password, extra FROM users WHERE username = ?');
  const all = db.prepare<[], UserRow>('SELECT id, username, password, extra FROM users ORDER BY username');
  const insert = db.prepare(
    'INSERT INTO users (id, username, password, extra) VALUES (@id, @username, @password, @extra)',
  );
  const insertIgnore = db.prepare(
    'INSERT INTO users (id, username, password, extra) VALUES (@id, @username, @password, @extra) ' +
      'ON CONFLICT(username) DO NOTHING',
  );
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

  const toRow = (user: User) => ({
    id: user.id,
    username: user.username,
    password: user.password,
    extra: hasKeys(user.extra) ? JSON.stringify(user.extra) : null,
  });

  return {
    async findByUsername(username) {
      const row = byName.get(username);
      return row ? toUser(row) : null;
    },
    async list() {
      return all.all().map(toUser);
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
        for (const [field, value] of Object.entries(patch)) {
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
