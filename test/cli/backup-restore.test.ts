// holodule backup and restore: a consistent copy under write load, restored into a new data directory;
// restore refuses a running server's database and anything that is not a sound holodule database.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestServer } from '../support/test-server.js';

const dataDirEnv = (dir: string) => ({ HOLODULE_DATA_DIR: dir, HOLODULE_SAMPLE_DATA: 'false' });

describe('holodule backup and restore', () => {
  test('a backup taken while a server writes restores into a new data directory with every user, key and stream', async (t) => {
    const sut = await startTestServer();
    const work = makeTempDir();
    t.after(async () => {
      await sut.close();
      work.remove();
    });
    for (let i = 0; i < 5; i++) await sut.addUser(`before${i}`, `password-before-${i}`);
    const seeded = Array.from({ length: 2000 }, (_, i) =>
      makeStream(
        `2020${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')} ${String(100000 + i)}`,
      ),
    );
    await sut.store.streams.upsertMany(seeded);
    const keysBefore = await sut.store.auth.listKeys();
    const backupFile = join(work.path, 'holodule-backup.sqlite');

    // Writes go on, through the server's store, until the backup process has ended.
    let backupEnded = false;
    let written = 0;
    const writer = (async () => {
      while (!backupEnded) {
        await sut.store.streams.upsertMany([makeStream(`20210101 ${String(100000 + written)}`)]);
        if (written % 10 === 0)
          await sut.store.users.create({ id: `w${written}`, username: `during${written}`, password: 'x' });
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const backup = await runCli(['backup', backupFile], { env: dataDirEnv(sut.dataDir) });
    backupEnded = true;
    await writer;

    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /backed up .*holodule\.sqlite -> .*holodule-backup\.sqlite: \d+ users, \d+ streams/);
    assert.ok(written > 0, 'the writer wrote while the backup ran');

    const newDir = join(work.path, 'restored-data');
    const restore = await runCli(['restore', backupFile], { env: dataDirEnv(newDir) });
    assert.equal(restore.code, 0, restore.stderr);

    const restored = new SqliteStore(join(newDir, 'holodule.sqlite'));
    const copy = new SqliteStore(backupFile);
    try {
      const users = (await restored.users.list()).map((u) => u.username);
      for (let i = 0; i < 5; i++) assert.ok(users.includes(`before${i}`), `before${i} restored`);
      assert.deepEqual(users.sort(), (await copy.users.list()).map((u) => u.username).sort());
      for (const s of seeded) assert.ok(await restored.streams.findByKey(s.key), `${s.key} restored`);
      assert.equal(await restored.streams.count(), await copy.streams.count());
      assert.ok((await restored.streams.count()) >= seeded.length);
      assert.deepEqual(await restored.auth.listKeys(), keysBefore);
      // The backup is a snapshot: everything in it is also in the live database.
      for (const user of users) assert.ok(await sut.store.users.findByUsername(user));
    } finally {
      await restored.close();
      await copy.close();
    }

    // A server on the restored directory (with the same secret) lets a user from before log in.
    const again = await startTestServer({}, { dataDir: newDir });
    t.after(() => again.close());
    assert.ok(await again.login('before3', 'password-before-3'));
  });

  test('restore refuses the database of a running server and leaves it as it was', async (t) => {
    const sut = await startTestServer();
    const work = makeTempDir();
    t.after(async () => {
      await sut.close();
      work.remove();
    });
    await sut.addUser('alice', 'alice-password');
    const backupFile = join(work.path, 'copy.sqlite');
    assert.equal((await runCli(['backup', backupFile], { env: dataDirEnv(sut.dataDir) })).code, 0);
    await sut.addUser('bob', 'bob-password');

    const restore = await runCli(['restore', backupFile], { env: dataDirEnv(sut.dataDir) });

    assert.equal(restore.code, 1);
    assert.match(restore.stderr, new RegExp(`in use by a running holodule \\(pid ${process.pid}\\): stop it first`));
    assert.ok(await sut.store.users.findByUsername('bob'), 'the live database is untouched');
  });

  test('restore refuses a file that is not a sound holodule database and leaves the target untouched', async (t) => {
    const work = makeTempDir();
    t.after(() => work.remove());
    const target = join(work.path, 'data');
    const live = new SqliteStore(join(target, 'holodule.sqlite'));
    await live.users.create({ id: '1', username: 'keeper', password: 'x' });
    await live.close();
    const before = readFileSync(join(target, 'holodule.sqlite'));

    const text = join(work.path, 'notes.txt');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    const other = join(work.path, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const truncated = join(work.path, 'truncated.sqlite');
    const good = join(work.path, 'good.sqlite');
    assert.equal((await runCli(['backup', good], { env: dataDirEnv(target) })).code, 0);
    writeFileSync(truncated, readFileSync(good).subarray(0, 4096 + 100));

    for (const [file, message] of [
      [text, /is not a SQLite database|cannot be opened/],
      [other, /is not a holodule database \(no holodules, users table\)/],
      [truncated, /integrity check|not a SQLite database|malformed/],
      [join(work.path, 'missing.sqlite'), /no backup at/],
    ] as const) {
      const restore = await runCli(['restore', file], { env: dataDirEnv(target) });
      assert.equal(restore.code, 1, `${file}: ${restore.stderr}`);
      assert.match(restore.stderr, message);
    }
    assert.deepEqual(readFileSync(join(target, 'holodule.sqlite')), before);
  });

  test('explains its usage without a FILE, and refuses a backup into a directory that does not exist', async (t) => {
    const work = makeTempDir();
    t.after(() => work.remove());
    const noFile = await runCli(['backup'], { env: dataDirEnv(work.path) });
    const twoFiles = await runCli(['restore', 'a', 'b'], { env: dataDirEnv(work.path) });
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /usage: holodule backup FILE/);
    assert.equal(twoFiles.code, 2);
    assert.match(twoFiles.stderr, /usage: holodule restore FILE/);

    new SqliteStore(join(work.path, 'holodule.sqlite')).close();
    const nowhere = await runCli(['backup', join(work.path, 'no', 'such', 'dir', 'b.sqlite')], {
      env: dataDirEnv(work.path),
    });
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /the directory .* does not exist/);
    const noDatabase = await runCli(['backup', join(work.path, 'b.sqlite')], {
      env: dataDirEnv(join(work.path, 'empty')),
    });
    assert.equal(noDatabase.code, 1);
    assert.match(noDatabase.stderr, /no SQLite database at/);
    assert.equal(existsSync(join(work.path, 'empty', 'holodule.sqlite')), false, 'a backup never creates a database');
  });

  test('with the MongoDB store, points to mongodump and holodule migrate', async () => {
    const sut = await runCli(['backup', 'x.sqlite'], { env: { MONGODB_URL: 'mongodb://127.0.0.1:1/x' } });
    assert.equal(sut.code, 2);
    assert.match(sut.stderr, /for MongoDB use mongodump and mongorestore, or `holodule migrate/);
  });
});
