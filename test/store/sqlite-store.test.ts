import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { DAY_QUERY_SQL, SqliteStore, dayUpperBound } from '../../src/store/sqlite/sqlite-store.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('sqlite', async () => {
  const dir = makeTempDir();
  const sut = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  return {
    sut,
    cleanup: async () => {
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
