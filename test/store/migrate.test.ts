import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate, type MigrateProgress } from '../../src/domain/migrate.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { mongoSettings, testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';

const mongo = await testMongo();
if (mongo) describeMigrate(mongo);

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';

function describeMigrate(server: TestMongo): void {
  describe('migrate between SQLite and MongoDB', () => {
    async function stores(t: { after: (fn: () => Promise<void>) => void }): Promise<{ sqlite: Store; mongodb: Store }> {
      const dir = makeTempDir();
      const database = server.freshDatabaseName();
      const sqlite = new SqliteStore(join(dir.path, 'holodule.sqlite'));
      const mongodb = await openMongoStore(mongoSettings(server.url, database));
      t.after(async () => {
        await sqlite.close();
        await mongodb.close();
        await server.dropDatabase(database);
        dir.remove();
      });
      return { sqlite, mongodb };
    }

    it('copies users with their passwords as they are, talent records, and every stream, then finds nothing to do on a second run', async (t) => {
      const { sqlite, mongodb } = await stores(t);
      await sqlite.users.create({ id: '1', username: 'user01', password: 'password01' });
      await sqlite.users.create({ id: '2', username: 'admin', password: HASH, extra: { role: 'admin' } });
      const streams = Array.from({ length: 7 }, (_, i) =>
        makeStream(`2020120${i + 1} 230000`, { liveStatus: 'upcoming' }),
      );
      await sqlite.streams.upsertMany(streams);
      await sqlite.talents.update('XX0000BEEF', { seen_name: '新人', name_en: 'Newcomer' });

      const first = await migrate(sqlite, mongodb, { batchSize: 3 });
      const second = await migrate(sqlite, mongodb, { batchSize: 3 });

      assert.deepEqual(first, {
        users: { added: 2, kept: 0 },
        talents: 1,
        streams: { inserted: 7, updated: 0, unchanged: 0 },
      });
      assert.deepEqual(second, {
        users: { added: 0, kept: 2 },
        talents: 1,
        streams: { inserted: 0, updated: 0, unchanged: 7 },
      });
      assert.deepEqual(await mongodb.talents.list(), await sqlite.talents.list());
      assert.deepEqual(await mongodb.users.list(), await sqlite.users.list());
      for (const stream of streams) assert.deepEqual(await mongodb.streams.findByKey(stream.key), stream);
      // Each day's answer is written with the copied streams, byte for byte what the source answers.
      for (const day of ['20201201', '20201207'])
        for (const encoding of ['identity', 'gzip', 'br'] as const)
          assert.deepEqual(
            await mongodb.streams.findDayAnswer(day, encoding),
            await sqlite.streams.findDayAnswer(day, encoding),
          );
    });

    it('copies back from MongoDB to SQLite the same way', async (t) => {
      const { sqlite, mongodb } = await stores(t);
      await mongodb.users.create({ id: '1', username: 'user01', password: 'password01', extra: { note: 'original' } });
      const stream = makeStream('20201209 230000', { extra: { collaborators: ['獅白ぼたん'] } });
      await mongodb.streams.upsertMany([stream]);

      const report = await migrate(mongodb, sqlite);

      assert.deepEqual(report, {
        users: { added: 1, kept: 0 },
        talents: 0,
        streams: { inserted: 1, updated: 0, unchanged: 0 },
      });
      const original = await mongodb.users.findByUsername('user01');
      assert.deepEqual(original?.extra, { note: 'original' });
      assert.deepEqual(await sqlite.users.findByUsername('user01'), original, 'with its uid and creation time');
      assert.deepEqual(await sqlite.streams.findByKey(stream.key), stream);
    });

    it('keeps a user the target already has, with the password it has there', async (t) => {
      const { sqlite, mongodb } = await stores(t);
      await sqlite.users.create({ id: '1', username: 'user01', password: 'old plain text' });
      await mongodb.users.create({ id: '1', username: 'user01', password: HASH });

      const report = await migrate(sqlite, mongodb);

      assert.deepEqual(report.users, { added: 0, kept: 1 });
      assert.equal((await mongodb.users.findByUsername('user01'))?.password, HASH);
    });

    it('reports progress for users and streams, ending at the totals', async (t) => {
      const { sqlite, mongodb } = await stores(t);
      await sqlite.users.create({ id: '1', username: 'user01', password: 'p' });
      await sqlite.streams.upsertMany(Array.from({ length: 5 }, (_, i) => makeStream(`2020120${i + 1} 000000`)));
      const seen: MigrateProgress[] = [];

      await migrate(sqlite, mongodb, { batchSize: 2, onProgress: (p) => seen.push(p) });

      assert.deepEqual(
        seen.filter((p) => p.phase === 'users'),
        [{ phase: 'users', done: 1, total: 1 }],
      );
      assert.deepEqual(
        seen.filter((p) => p.phase === 'streams').map((p) => `${p.done}/${p.total}`),
        ['2/5', '4/5', '5/5'],
      );
    });
  });
}
