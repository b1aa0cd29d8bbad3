import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { DAY_QUERY_SQL, SqliteStore, dayUpperBound } from '../../src/store/sqlite/sqlite-store.js';
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
