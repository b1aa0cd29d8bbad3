// The database going away and coming back. This file stops and restarts its own FerretDB.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import { MongoUnreachableError, openMongoStore } from '../../src/store/mongo/mongo-store.js';
import type { Store } from '../../src/store/types.js';
import { mongoSettings, testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';

const mongo = await testMongo();

/** Asks the store's health until it is back (each ask waits on the driver, up to the timeout), a bounded number of times. */
async function untilHealthy(sut: Store): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await sut.health()).ok) return;
  }
  assert.fail('the store did not recover by itself');
}

const isServiceUnavailable = (err: unknown): boolean => {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.kind, 'unavailable');
  assert.equal(err.description, undefined);
  return true;
};

if (mongo?.restartable) {
  describeFaults(mongo);
} else if (mongo) {
  it('stops and restarts the database to test faults', {
    skip: 'HOLODULE_TEST_MONGODB_URL is set: its server cannot be stopped by the tests',
  }, () => {});
}

function describeFaults(server: TestMongo): void {
  describe('mongodb store, when the database goes away', () => {
    it('answers 503 when the database is lost, reports it down, and recovers by itself once it is back', async (t) => {
      const database = server.freshDatabaseName();
      const sut = await openMongoStore(mongoSettings(server.url, database));
      t.after(() => sut.close());
      const stream = makeStream('20201209 230000');
      await sut.streams.upsertMany([stream]);

      await server.stop();
      try {
        await assert.rejects(sut.streams.findByDay('20201209'), isServiceUnavailable);
        await assert.rejects(sut.users.findByUsername('user01'), isServiceUnavailable);
        await assert.rejects(sut.streams.upsertMany([makeStream('20201209 220000')]), isServiceUnavailable);
        assert.deepEqual(await sut.health(), { ok: false, store: 'mongodb', detail: 'database unreachable' });
      } finally {
        await server.start();
      }

      // On a busy machine the driver may need a heartbeat or two to see the server again.
      await untilHealthy(sut);
      assert.deepEqual(
        (await sut.streams.findByDay('20201209')).map((s) => s.key),
        [stream.key],
      );
    });

    it('answers 503 when the database stops answering on open connections, instead of waiting for it', async (t) => {
      const database = server.freshDatabaseName();
      const sut = await openMongoStore(mongoSettings(server.url, database));
      t.after(() => sut.close());
      const stream = makeStream('20201209 230000');
      await sut.streams.upsertMany([stream]);

      await server.freeze();
      try {
        await assert.rejects(sut.streams.findByKey(stream.key), isServiceUnavailable);
        assert.equal((await sut.health()).ok, false);
      } finally {
        server.thaw();
      }

      await untilHealthy(sut);
      assert.deepEqual(await sut.streams.findByKey(stream.key), stream);
    });

    it('keeps retrying with a one-line notice while the database is unreachable at start-up, and opens once it is up', async (t) => {
      const database = server.freshDatabaseName();
      const lines: string[] = [];
      let firstNotice!: () => void;
      const noticed = new Promise<void>((resolve) => (firstNotice = resolve));
      await server.stop();

      const opening = openMongoStore(mongoSettings(server.url, database), {
        firstDelayMs: 100,
        log: (line) => {
          lines.push(line);
          firstNotice();
        },
      });
      await noticed;
      await server.start();
      const sut = await opening;
      t.after(() => sut.close());

      assert.equal((await sut.health()).ok, true);
      assert.ok(lines.length >= 1);
      for (const line of lines) {
        assert.doesNotMatch(line, /\n/);
        assert.match(
          line,
          /^MongoDB at 127\.0\.0\.1:\d+ \(database test_\d+_\d+\) is unreachable: .+; retrying in \d+\.\d s \(attempt \d+\)$/,
        );
      }
    });

    it('gives up after the allowed attempts with a one-line message naming the server', async () => {
      await server.stop();
      try {
        await assert.rejects(
          openMongoStore(mongoSettings(server.url, server.freshDatabaseName()), {
            maxAttempts: 2,
            firstDelayMs: 10,
            log: () => {},
          }),
          (err: unknown) => {
            assert.ok(err instanceof MongoUnreachableError);
            assert.match(
              err.message,
              /^MongoDB at 127\.0\.0\.1:\d+ \(database test_\d+_\d+\) is unreachable after 2 attempts: [^\n]+$/,
            );
            return true;
          },
        );
      } finally {
        await server.start();
      }
    });

    it('stops retrying when asked to, for a shutdown while the database is still down', async () => {
      await server.stop();
      const controller = new AbortController();
      try {
        const opening = openMongoStore(mongoSettings(server.url, server.freshDatabaseName()), {
          signal: controller.signal,
          log: () => controller.abort(),
        });
        await assert.rejects(opening, { name: 'AbortError' });
      } finally {
        await server.start();
      }
    });
  });
}
