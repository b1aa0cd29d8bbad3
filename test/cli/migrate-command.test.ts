import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';

const mongo = await testMongo();

describe('holodule migrate, without a database', () => {
  it('refuses a SQLite source that does not exist instead of migrating nothing', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const sut = await runCli(['migrate', '--from', join(dir.path, 'typo.sqlite'), '--to', join(dir.path, 'b.sqlite')], {
      env: {},
    });
    assert.equal(sut.code, 2);
    assert.match(sut.stderr, /no SQLite database at .*typo\.sqlite/);
  });

  it('explains its usage when --from or --to is missing, or both name the same database', async () => {
    const missing = await runCli(['migrate', '--from', 'a.sqlite'], { env: {} });
    const same = await runCli(['migrate', '--from', 'a.sqlite', '--to', 'sqlite:a.sqlite'], { env: {} });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /usage: holodule migrate --from SOURCE --to TARGET/);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /the same database/);
  });
});

if (mongo) describeWithMongo(mongo);

function describeWithMongo(server: TestMongo): void {
  describe('holodule migrate', () => {
    it('copies a SQLite file into a MongoDB database, counts what it did, and finds nothing to do the second time', async (t) => {
      const dir = makeTempDir();
      const database = server.freshDatabaseName();
      t.after(async () => {
        await server.dropDatabase(database);
        dir.remove();
      });
      const path = join(dir.path, 'holodule.sqlite');
      const store = new SqliteStore(path);
      await store.users.create({ id: '1', username: 'user01', password: 'password01' });
      await store.streams.upsertMany([makeStream('20201209 230000'), makeStream('20201209 220000')]);
      await store.close();
      const to = `${server.url}${database}`;

      const first = await runCli(['migrate', '--from', path, '--to', to], { env: {} });
      const second = await runCli(['migrate', `--from=${path}`, `--to=${to}`], { env: {} });

      assert.equal(first.code, 0, first.stderr);
      assert.match(
        first.stdout,
        new RegExp(
          `-> 127\\.0\\.0\\.1:\\d+/${database}: users: 1 added, 0 already present \\(kept as they are\\); streams: 2 new, 0 updated, 0 unchanged`,
        ),
      );
      assert.equal(first.stderr, '', 'no progress lines when stderr is not a terminal');
      assert.equal(second.code, 0, second.stderr);
      assert.match(
        second.stdout,
        /users: 0 added, 1 already present \(kept as they are\); streams: 0 new, 0 updated, 2 unchanged/,
      );
    });

    it('exports a MongoDB database into a fresh SQLite file with every user and stream (the portable export)', async (t) => {
      const dir = makeTempDir();
      const database = server.freshDatabaseName();
      t.after(async () => {
        await server.dropDatabase(database);
        dir.remove();
      });
      const seed = join(dir.path, 'seed.sqlite');
      const store = new SqliteStore(seed);
      await store.users.create({ id: '1', username: 'user01', password: 'password01', extra: { role: 'admin' } });
      const streams = [makeStream('20201209 230000'), makeStream('20201210 010000')];
      await store.streams.upsertMany(streams);
      await store.close();
      assert.equal(
        (await runCli(['migrate', '--from', seed, '--to', `${server.url}${database}`], { env: {} })).code,
        0,
      );

      const exported = join(dir.path, 'export', 'holodule.sqlite');
      const sut = await runCli(['migrate', '--from', `${server.url}${database}`, '--to', exported], { env: {} });

      assert.equal(sut.code, 0, sut.stderr);
      const copy = new SqliteStore(exported);
      t.after(() => copy.close());
      assert.deepEqual(
        (await copy.users.list()).map((u) => [u.username, u.password, u.role]),
        [['user01', 'password01', 'admin']],
      );
      for (const stream of streams) assert.deepEqual(await copy.streams.findByKey(stream.key), stream);
    });

    it('refuses an empty source, which is most often a mistyped database name', async (t) => {
      const dir = makeTempDir();
      t.after(() => dir.remove());
      const sut = await runCli(
        ['migrate', '--from', `${server.url}no_such_database`, '--to', join(dir.path, 'b.sqlite')],
        { env: {} },
      );
      assert.equal(sut.code, 1);
      assert.match(sut.stderr, /no_such_database has no users and no streams: nothing to migrate/);
    });
  });
}
