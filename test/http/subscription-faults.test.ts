// API keys and calendar feeds when the SQLite file is at fault: 503 in the contract's shape while it lasts
// (never 500, never taken as a bad key or an unknown feed), and both work again once the file is back.
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { call, startTestServer } from '../support/test-server.js';

describe('API keys and feeds on a faulty SQLite file', () => {
  it('when the database file vanishes, then a key and a feed answer 503, and once it is restored they work again', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const sut = await startTestServer({ HOLODULE_STORE: 'sqlite' }, { dataDir: dir.path });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    const token = await sut.login('user01', 'password01');
    const { key } = (await call(`${sut.url}/me/api-keys`, 'POST', { token, body: { name: 'bot' } })).body;
    const { url: feedUrl } = (await call(`${sut.url}/me/feeds`, 'POST', { token, body: {} })).body;
    const file = join(dir.path, 'holodule.sqlite');
    const backup = join(dir.path, 'backup.sqlite');
    const copier = new Database(file, { fileMustExist: true });
    copier.exec(`VACUUM INTO '${backup}'`);
    copier.close();
    const read = () => fetch(`${sut.url}/holodules/20201209`, { headers: { 'x-api-key': key } });

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    // /readyz checks the file at once (requests notice within a second): after it, every request knows.
    assert.equal((await call(`${sut.url}/readyz`, 'GET')).status, 503);
    const keyAnswer = await read();
    const feedAnswer = await fetch(feedUrl);
    const made = await call(`${sut.url}/me/api-keys`, 'POST', { token, body: { name: 'another' } });

    assert.equal(keyAnswer.status, 503);
    assert.deepEqual(await keyAnswer.json(), { error: 'Service Unavailable' });
    assert.equal(feedAnswer.status, 503);
    assert.equal(made.status, 503);
    copyFileSync(backup, file);
    assert.equal((await read()).status, 200);
    assert.equal((await fetch(feedUrl)).status, 200);
  });
});
