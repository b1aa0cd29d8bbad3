import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { dayJson } from '../../src/store/day-answer.js';
import { DAY_QUERY_SQL, SqliteStore, dayUpperBound } from '../../src/store/sqlite/sqlite-store.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('sqlite', async () => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  const sut = new SqliteStore(path);
  const others: SqliteStore[] = [];
  return {
    sut,
    another: async () => {
      const other = new SqliteStore(path);
      others.push(other);
      return other;
    },
    cleanup: async () => {
      for (const other of others) await other.close();
      await sut.close();
      dir.remove();
    },
  };
});

it('imports streams and users in one transaction: when the database refuses one user, no stream is left behind', async (t) => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  const refused = { id: '3', username: 'user03', password: null as unknown as string };
  await assert.rejects(
    sut.importAll(
      [makeStream('20201209 230000'), makeStream('20201209 220000')],
      [{ id: '2', username: 'user02', password: 'password02' }, refused],
    ),
    /NOT NULL/,
  );
  assert.equal(await sut.streams.count(), 0);
  assert.equal(await sut.users.count(), 0);
});

it('serves the day query from the datetime index, not a table scan', async (t) => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  const sut = new SqliteStore(path);
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  const db = new Database(path, { readonly: true });
  const plan = db
    .prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${DAY_QUERY_SQL}`)
    .all('20201209', dayUpperBound('20201209'))
    .map((row) => row.detail)
    .join('\n');
  db.close();
  assert.match(plan, /SEARCH holodules USING (COVERING )?INDEX holodules_datetime_key \(datetime>\? AND datetime<\?\)/);
  assert.doesNotMatch(plan, /TEMP B-TREE/);
});

it('knows whether it created the database file', async (t) => {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, 'holodule.sqlite');
  const first = new SqliteStore(path);
  assert.equal(first.info.created, true);
  await first.close();
  const second = new SqliteStore(path);
  assert.equal(second.info.created, false);
  await second.close();
});

it('answers a day read again with what another connection (another process) wrote since', async (t) => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  const sut = new SqliteStore(path);
  const other = new SqliteStore(path);
  t.after(async () => {
    await sut.close();
    await other.close();
    dir.remove();
  });
  const first = makeStream('20201209 210000');
  await sut.streams.upsertMany([first]);
  await sut.streams.findByDay('20201209');
  assert.deepEqual(
    (await sut.streams.findByDay('20201209')).map((s) => s.title),
    [first.title],
  );

  const second = makeStream('20201209 220000');
  await other.streams.upsertMany([{ ...first, title: 'renamed elsewhere' }, second]);

  assert.deepEqual(
    (await sut.streams.findByDay('20201209')).map((s) => s.title),
    [second.title, 'renamed elsewhere'],
  );
});

it('answers a day read again with what this connection wrote since', async (t) => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  const stream = makeStream('20201209 210000');
  await sut.streams.upsertMany([stream]);
  await sut.streams.findByDay('20201209');
  await sut.streams.findByDay('20201209');

  await sut.streams.moveStream(stream.key, { ...stream, key: 'HL0503_20201210_010000', datetime: '20201210 010000' });

  assert.deepEqual(await sut.streams.findByDay('20201209'), []);
  assert.deepEqual(
    (await sut.streams.findByDay('20201210')).map((s) => s.key),
    ['HL0503_20201210_010000'],
  );
});

it('keeps the streams of a day asked again where no caller can change them under the next', async (t) => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  await sut.streams.upsertMany([makeStream('20201209 210000', { extra: { live: true } })]);
  await sut.streams.findByDay('20201209');
  const [stream] = await sut.streams.findByDay('20201209');

  assert.throws(() => {
    (stream as { title: string }).title = 'changed';
  }, TypeError);
  assert.throws(() => {
    stream!.extra!.live = false;
  }, TypeError);
  assert.equal((await sut.streams.findByDay('20201209'))[0]!.extra!.live, true);
});

it('upgrades a file made before uids: every user gets one of its own, once, and nothing else changes', async (t) => {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, 'holodule.sqlite');
  const old = new Database(path);
  // The users and refresh_tokens tables as the first release made them.
  old.exec(`
    CREATE TABLE users (username TEXT PRIMARY KEY NOT NULL, id TEXT NOT NULL, password TEXT NOT NULL, extra TEXT) WITHOUT ROWID;
    CREATE TABLE refresh_tokens (jti TEXT PRIMARY KEY NOT NULL, family TEXT NOT NULL, username TEXT NOT NULL,
      expires_at INTEGER NOT NULL, used_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
    INSERT INTO users VALUES ('user01', '1', 'password01', NULL), ('user02', '2', 'password02', '{"role":"admin"}');
    INSERT INTO refresh_tokens VALUES ('r1', 'f1', 'user01', 9999999999999, NULL, 0);
  `);
  old.close();

  const first = new SqliteStore(path);
  const users = await first.users.list();
  await first.close();
  const again = new SqliteStore(path);
  t.after(() => again.close());

  assert.deepEqual(
    users.map(({ uid, ...rest }) => rest),
    [
      { id: '1', username: 'user01', password: 'password01', role: 'user', disabled: false, tokenVersion: 0 },
      { id: '2', username: 'user02', password: 'password02', role: 'admin', disabled: false, tokenVersion: 0 },
    ],
    'the original fields as they were, and no creation time made up',
  );
  assert.equal(new Set(users.map((u) => u.uid)).size, 2);
  assert.deepEqual(await again.users.list(), users, 'opening again keeps the uids');
  assert.equal((await again.users.findByUid(users[0]!.uid))?.username, 'user01');
  assert.equal(
    await again.auth.useRefreshToken('r1', users[0]!.uid),
    'unknown',
    'a record without an owner uid is refused',
  );
});

it('gives a database made before v2 its query columns on open, filled for every stream', async (t) => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  t.after(() => dir.remove());
  const old = new Database(path);
  old.exec(
    'CREATE TABLE holodules (key TEXT PRIMARY KEY NOT NULL, video_id TEXT NOT NULL, datetime TEXT NOT NULL, ' +
      'name TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL, description TEXT NOT NULL, extra TEXT) WITHOUT ROWID',
  );
  old
    .prepare('INSERT INTO holodules VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(
      'HL0503_20201209_230000',
      'yEttl2nfhsQ',
      '20201209 230000',
      '尾丸ポルカ',
      'ＡＰＥＸ',
      'u',
      'd',
      '{"live_status":"live"}',
    );
  old.close();

  const sut = new SqliteStore(path);
  t.after(() => sut.close());
  const found = await sut.streams.query({
    fromUtc: '2020-12-09T14:00:00.000Z',
    toUtc: '2020-12-09T14:00:01.000Z',
    statuses: ['live'],
    talents: ['HL0503'],
    text: { needle: 'apex', talents: [] },
    order: 'asc',
    limit: 10,
  });

  assert.deepEqual(
    found.map((s) => s.key),
    ['HL0503_20201209_230000'],
  );
});

it('keeps the cached days while counting hits: counters live in a file of their own beside the database', async (t) => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  await sut.streams.upsertMany([makeStream('20201209 210000')]);
  await sut.streams.findByDay('20201209');
  const cached = await sut.streams.findByDay('20201209');

  await sut.counters.hit('anonymous-read:127.0.0.1', 60_000, Date.now());

  assert.equal(await sut.streams.findByDay('20201209'), cached, 'the same cached answer, not a new read');
  assert.ok(existsSync(join(dir.path, 'holodule-counters.sqlite')));
});

it('creates no counters file until something is counted', async (t) => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  await sut.streams.upsertMany([makeStream('20201209 210000')]);
  assert.equal(existsSync(join(dir.path, 'holodule-counters.sqlite')), false);
});

it('when the file has streams but no day answers yet (made before them), then the first read builds and keeps the answer', async (t) => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  const sut = new SqliteStore(path);
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  await sut.streams.upsertMany([makeStream('20201209 100000'), makeStream('20201209 120000')]);
  const raw = new Database(path);
  raw.exec('DELETE FROM day_answers');
  raw.close();

  const answer = await sut.streams.findDayAnswer('20201209', 'identity');

  assert.equal(answer?.body.toString(), dayJson(await sut.streams.findByDay('20201209')));
  const check = new Database(path, { readonly: true });
  t.after(() => check.close());
  assert.deepEqual(check.prepare('SELECT day FROM day_answers').pluck().all(), ['20201209']);
});

it("when another program changes a day's rows in the file directly, then that day's answer is built again", async (t) => {
  const dir = makeTempDir();
  const path = join(dir.path, 'holodule.sqlite');
  const sut = new SqliteStore(path);
  t.after(async () => {
    await sut.close();
    dir.remove();
  });
  const stream = makeStream('20201209 100000');
  await sut.streams.upsertMany([stream, makeStream('20201210 100000')]);
  const before = await sut.streams.findDayAnswer('20201209', 'br');
  const otherDay = await sut.streams.findDayAnswer('20201210', 'identity');

  const raw = new Database(path);
  raw.prepare("UPDATE holodules SET title = 'edited by hand' WHERE key = ?").run(stream.key);
  raw.close();

  const after = await sut.streams.findDayAnswer('20201209', 'br');
  assert.notEqual(after?.tag, before?.tag);
  assert.match(brotliDecompressSync(after!.body).toString(), /edited by hand/);
  assert.equal((await sut.streams.findDayAnswer('20201210', 'identity'))?.tag, otherDay?.tag);
});
