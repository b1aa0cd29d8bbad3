// Storage faults on the embedded SQLite store, made for real: each is answered 503 in the contract's shape
// while it lasts (never 500, never a SQLite message), /readyz says which, and service resumes without a
// restart once the fault is gone, with the stored data intact.
import assert from 'node:assert/strict';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  fillFileSystem,
  holdWriteLock,
  makeReadOnly,
  mountSmallFileSystem,
  removeFile,
  whyMountIsNotPermitted,
} from '../support/file-faults.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { call, getWithToken, startTestServer, type TestServer } from '../support/test-server.js';

const UNAVAILABLE = { error: 'Service Unavailable' };
const DAY = '20201209';

/** A server on `dataDir` with a user, one stream and a token from before the fault. */
async function serverWithData(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ sut: TestServer; token: string }> {
  const sut = await startTestServer({ HOLODULE_STORE: 'sqlite', ...env }, { dataDir });
  await sut.addUser('user01', 'password01');
  await sut.store.streams.upsertMany([makeStream(`${DAY} 230000`)]);
  return { sut, token: await sut.login('user01', 'password01') };
}

const readyz = (sut: TestServer) => call(`${sut.url}/readyz`, 'GET');
const login = (sut: TestServer) =>
  call(`${sut.url}/auth`, 'POST', { body: { username: 'user01', password: 'password01' } });
const schedule = async (sut: TestServer, token: string) => {
  const res = await getWithToken(`${sut.url}/holodules/${DAY}`, token);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function assertNotReady(sut: TestServer, reason: string): Promise<void> {
  const res = await readyz(sut);
  assert.equal(res.status, 503);
  assert.deepEqual(res.body, {
    status: 'not ready',
    failed: ['store'],
    checks: { shutdown: 'ok', keys: 'ok', store: reason },
  });
}

/** Ready again, the data from before the fault is all there, and writes work (a login). */
async function assertRecovered(sut: TestServer, token: string): Promise<void> {
  const ready = await readyz(sut);
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  const day = await schedule(sut, token);
  assert.equal(day.status, 200);
  assert.equal(day.body.result, 1);
  const again = await login(sut);
  assert.equal(again.status, 200);
  assert.match(again.body.access_token, /^ey/);
}

function assertNoSqliteInLogs(sut: TestServer): void {
  const answered = sut.logs.filter((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 500);
  assert.deepEqual(answered, [], 'no request was answered 500');
}

describe('SQLite faults without a restart', () => {
  it('when another process holds the write lock, then writes answer 503 after the busy timeout, reads and /healthz go on, /readyz says locked, and all is well once it lets go', async (t) => {
    const dir = makeTempDir();
    const { sut, token } = await serverWithData(dir.path, { HOLODULE_SQLITE_BUSY_TIMEOUT_MS: '300' });
    const lock = await holdWriteLock(join(dir.path, 'holodule.sqlite'));
    t.after(async () => {
      await lock.release();
      await sut.close();
      dir.remove();
    });

    await assertNotReady(sut, 'locked');
    const refused = await login(sut);
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.body, UNAVAILABLE);
    assert.equal((await call(`${sut.url}/healthz`, 'GET')).status, 200, 'the event loop was never blocked');
    assert.equal((await schedule(sut, token)).status, 200, 'readers are not blocked by a writer (WAL)');

    await lock.release();
    await assertRecovered(sut, token);
    assertNoSqliteInLogs(sut);
  });

  it('when the database file vanishes, then 503 and /readyz says missing, and once it is restored service resumes from it', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const { sut, token } = await serverWithData(dir.path);
    t.after(() => sut.close());
    const file = join(dir.path, 'holodule.sqlite');
    const backup = join(dir.path, 'backup.sqlite');
    const copier = new Database(file, { fileMustExist: true });
    copier.exec(`VACUUM INTO '${backup}'`);
    copier.close();

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });

    await assertNotReady(sut, 'missing');
    const day = await schedule(sut, token);
    assert.equal(day.status, 503);
    assert.deepEqual(day.body, UNAVAILABLE);
    assert.deepEqual((await login(sut)).body, UNAVAILABLE);

    copyFileSync(backup, file);
    await assertRecovered(sut, token);
  });

  it('when the data directory is moved away, then 503 and /readyz says missing, and once it is back all is as it was', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const dataDir = join(dir.path, 'data');
    const { sut, token } = await serverWithData(dataDir);
    t.after(() => sut.close());

    renameSync(dataDir, join(dir.path, 'elsewhere'));
    await assertNotReady(sut, 'missing');
    const day = await schedule(sut, token);
    assert.equal(day.status, 503);
    assert.deepEqual(day.body, UNAVAILABLE);

    renameSync(join(dir.path, 'elsewhere'), dataDir);
    await assertRecovered(sut, token);
  });

  const noMount = whyMountIsNotPermitted();
  if (noMount) process.stderr.write(`\nSKIPPED: the read-only and disk-full SQLite fault tests: ${noMount}\n\n`);

  it('when the server starts on a read-only database file, then logins answer 503 and /readyz says read-only, and once it is writable logins work, without a restart', {
    skip: noMount,
  }, async (t) => {
    const dir = makeTempDir();
    const before = await serverWithData(dir.path);
    const { token } = before;
    await before.sut.close();
    const readOnly = makeReadOnly(join(dir.path, 'holodule.sqlite'));
    let sut: TestServer | undefined;
    t.after(async () => {
      await sut?.close();
      readOnly.remove();
      dir.remove();
    });

    sut = await startTestServer({ HOLODULE_STORE: 'sqlite' }, { dataDir: dir.path });
    await assertNotReady(sut, 'read-only');
    const refused = await login(sut);
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.body, UNAVAILABLE);
    assert.equal((await schedule(sut, token)).status, 200, 'reads work on a read-only file');

    readOnly.writable();
    await assertRecovered(sut, token);
    assertNoSqliteInLogs(sut);
  });

  it('when the disk is full, then writes answer 503 and /readyz says disk-full, and once there is room again writes work', {
    skip: noMount,
  }, async (t) => {
    const disk = mountSmallFileSystem(8 * 1024 * 1024);
    const { sut, token } = await serverWithData(disk.path);
    t.after(async () => {
      await sut.close();
      disk.remove();
    });
    // An empty write-ahead log, so the next write needs new space on the disk.
    const checkpointer = new Database(join(disk.path, 'holodule.sqlite'), { fileMustExist: true });
    checkpointer.pragma('wal_checkpoint(TRUNCATE)');
    checkpointer.close();
    const filler = fillFileSystem(disk.path);

    await assertNotReady(sut, 'disk-full');
    const refused = await login(sut);
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.body, UNAVAILABLE);
    assert.equal((await schedule(sut, token)).status, 200, 'reads need no space');

    removeFile(filler);
    await assertRecovered(sut, token);
    assertNoSqliteInLogs(sut);
  });
});
