import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MAX_USERNAME_LENGTH } from '../../src/domain/users.js';
import { runCli } from '../support/cli.js';
import { testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';

// Compiled tests run from build/test/cli; the fixtures stay in the source tree.
const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/mongoexport/${name}`, import.meta.url));

const mongo = await testMongo();

/** The usernames POST /users refuses, which import must refuse too. */
const REFUSED_USERNAMES = ['nul\u0000name', 'new\nline', '   ', 'x'.repeat(MAX_USERNAME_LENGTH + 1)];

const GOOD_STREAM = makeStream('20201209 230000');
const GOOD_USER = { id: '1', username: 'good', password: 'password01' };

/** A valid stream, a valid user, then one user per refused name: one document a line. */
function fileWithBadUsers(path: string): void {
  writeFileSync(
    path,
    [
      JSON.stringify(GOOD_STREAM),
      JSON.stringify(GOOD_USER),
      ...REFUSED_USERNAMES.map((username, i) =>
        JSON.stringify({ id: String(i + 2), username, password: 'password01' }),
      ),
    ].join('\n'),
  );
}

function assertNamesEachBadUser(stderr: string): void {
  for (let line = 3; line < 3 + REFUSED_USERNAMES.length; line++) {
    assert.match(
      stderr,
      new RegExp(`line ${line}: a username is 1 to ${MAX_USERNAME_LENGTH} characters, without whitespace`),
    );
  }
  assert.match(stderr, /^holodule: nothing imported:/);
}

function setup(t: { after: (fn: () => void) => void }) {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  const env = { HOLODULE_DATA_DIR: dir.path, HOLODULE_SAMPLE_DATA: 'false' };
  const withStore = async <T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> => {
    const store = new SqliteStore(join(dir.path, 'holodule.sqlite'));
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  return { env, dir: dir.path, withStore };
}

describe('holodule import', () => {
  it("loads the files mongoexport writes for the original's holodules and users, keeping our own fields", async (t) => {
    const { env, withStore } = setup(t);
    const streams = await runCli(['import', fixture('holodules.json')], { env });
    assert.equal(streams.code, 0, streams.stderr);
    assert.match(streams.stdout, /streams: 3 new, 0 updated, 0 unchanged/);
    const users = await runCli(['import', fixture('users.json')], { env });
    assert.match(users.stdout, /users: 2 added, 0 already present/);

    await withStore(async (store) => {
      assert.deepEqual(
        (await store.streams.findByDay('20201209')).map((s) => s.key),
        ['HL0503_20201209_230000', 'HL0501_20201209_220000'],
      );
      assert.deepEqual((await store.streams.findByKey('HL0001_20201210_200000'))?.extra, {
        updated_at: '2020-12-09T12:00:00.000Z',
      });
      const { uid, createdAt, ...user } = (await store.users.findByUsername('user01'))!;
      assert.deepEqual(user, {
        id: '1',
        username: 'user01',
        password: 'password01',
        role: 'user',
        disabled: false,
        tokenVersion: 0,
      });
      assert.match(uid, /^[0-9a-f-]{36}$/, 'a uid of its own');
      assert.equal(typeof createdAt, 'number', 'created now, for holodule');
    });
  });

  it('changes nothing when run again', async (t) => {
    const { env } = setup(t);
    await runCli(['import', fixture('holodules.json')], { env });
    await runCli(['import', fixture('users.json')], { env });
    const again = await runCli(['import', fixture('holodules.json')], { env });
    assert.match(again.stdout, /streams: 0 new, 0 updated, 3 unchanged/);
    const users = await runCli(['import', fixture('users.json')], { env });
    assert.match(users.stdout, /users: 0 added, 2 already present/);
  });

  it('loads a JSON array of documents in the contract shape, updating changed streams by key', async (t) => {
    const { env, dir, withStore } = setup(t);
    const stream = makeStream('20201209 230000');
    const file = join(dir, 'array.json');
    writeFileSync(file, JSON.stringify([stream, { id: '7', username: 'user07', password: 'password07' }]));
    assert.match((await runCli(['import', file], { env })).stdout, /streams: 1 new.*users: 1 added/);
    writeFileSync(file, JSON.stringify([{ ...stream, title: 'renamed' }]));
    assert.match((await runCli(['import', file], { env })).stdout, /streams: 0 new, 1 updated/);
    await withStore(async (store) => assert.equal((await store.streams.findByKey(stream.key))?.title, 'renamed'));
  });

  it('never overwrites an existing user, so a hashed password is not replaced by an old plain-text export', async (t) => {
    const { env, withStore } = setup(t);
    await runCli(['user', 'add', 'user01'], { env, stdin: 'a-new-password\n' });
    await runCli(['import', fixture('users.json')], { env });
    await withStore(async (store) =>
      assert.match((await store.users.findByUsername('user01'))!.password, /^\$argon2id\$/),
    );
  });

  it('when any document is invalid, then it names each problem and imports nothing', async (t) => {
    const { env, dir, withStore } = setup(t);
    const file = join(dir, 'bad.json');
    const good = makeStream('20201209 230000');
    writeFileSync(
      file,
      [
        JSON.stringify(good),
        JSON.stringify({ ...makeStream('20201209 220000'), title: 42 }),
        JSON.stringify({ ...makeStream('20201209 210000'), datetime: '2020-12-09 21:00' }),
        JSON.stringify({ hello: 'world' }),
        'not json at all',
      ].join('\n'),
    );
    const sut = await runCli(['import', file], { env });
    assert.equal(sut.code, 1);
    assert.match(sut.stderr, /line 5 is not a JSON document/);
    writeFileSync(
      file,
      [JSON.stringify(good), JSON.stringify({ ...good, key: 'K2', title: 42 }), '{"hello":1}'].join('\n'),
    );
    const second = await runCli(['import', file], { env });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /nothing imported: line 2: "title" must be a string; line 3: neither a stream/);
    await withStore(async (store) => assert.equal(await store.streams.count(), 0));
  });

  it('refuses the usernames the API refuses (NUL, newline, whitespace only, over-long), naming each, and writes nothing, not even the valid stream and user beside them', async (t) => {
    const { env, dir, withStore } = setup(t);
    const file = join(dir, 'bad-users.json');
    fileWithBadUsers(file);
    const sut = await runCli(['import', file], { env });
    assert.equal(sut.code, 1);
    assertNamesEachBadUser(sut.stderr);
    await withStore(async (store) => {
      assert.equal(await store.streams.count(), 0);
      assert.equal(await store.users.count(), 0);
    });
  });

  it('imports the longest and multi-byte usernames the API accepts', async (t) => {
    const { env, dir, withStore } = setup(t);
    const file = join(dir, 'long-users.json');
    const names = ['y'.repeat(MAX_USERNAME_LENGTH), '𝒜'.repeat(MAX_USERNAME_LENGTH), 'ユーザー🎉'];
    writeFileSync(file, JSON.stringify(names.map((username, i) => ({ id: String(i), username, password: 'pw' }))));
    const sut = await runCli(['import', file], { env });
    assert.equal(sut.code, 0, sut.stderr);
    await withStore(async (store) => {
      for (const name of names) assert.equal((await store.users.findByUsername(name))?.username, name);
    });
  });

  it('when the file does not exist, then it says so in one line', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['import', '/nonexistent/file.json'], { env });
    assert.equal(sut.code, 1);
    assert.match(sut.stderr, /^holodule: ENOENT: no such file or directory/);
  });
});

if (mongo) describeOnMongo(mongo);

function describeOnMongo(server: TestMongo): void {
  describe('holodule import on MongoDB', () => {
    it('checks every document before writing any: a bad username leaves the valid stream and user beside it unwritten', async (t) => {
      const dir = makeTempDir();
      const database = server.freshDatabaseName();
      t.after(async () => {
        await server.dropDatabase(database);
        dir.remove();
      });
      const env = { MONGODB_URL: server.url, HOLODULE_MONGODB_DATABASE: database, HOLODULE_DATA_DIR: dir.path };
      const file = join(dir.path, 'bad-users.json');
      fileWithBadUsers(file);
      const sut = await runCli(['import', file], { env });
      assert.equal(sut.code, 1);
      assertNamesEachBadUser(sut.stderr);

      // The same valid documents on their own are all new: the refused file wrote none of them.
      const good = join(dir.path, 'good.json');
      writeFileSync(good, JSON.stringify([GOOD_STREAM, GOOD_USER]));
      const ok = await runCli(['import', good], { env });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /streams: 1 new, 0 updated, 0 unchanged; users: 1 added, 0 already present/);
    });
  });
}
