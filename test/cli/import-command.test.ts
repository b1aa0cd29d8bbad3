import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';

// Compiled tests run from dist/test/cli; the fixtures stay in the source tree.
const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/mongoexport/${name}`, import.meta.url));

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
      assert.deepEqual(user, { id: '1', username: 'user01', password: 'password01' });
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

  it('when the file does not exist, then it says so in one line', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['import', '/nonexistent/file.json'], { env });
    assert.equal(sut.code, 1);
    assert.match(sut.stderr, /^holodule: ENOENT: no such file or directory/);
  });
});
