// GET /readyz: ready only when the store reads and takes writes, a signing key is loaded and the server is not
// stopping. Runs on SQLite here and on MongoDB from on-mongodb.test.ts; the faults are in *-faults.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/auth/keyring.js';
import { makeStream } from '../support/streams.js';
import { call, getWithToken, startTestServer } from '../support/test-server.js';

const ALL_OK = { shutdown: 'ok', keys: 'ok', store: 'ok' };

describe('GET /readyz', () => {
  it('when the store answers, a signing key is loaded and the server is not stopping, then 200 ready, without auth', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    const res = await call(`${sut.url}/readyz`, 'GET');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ready', checks: ALL_OK });
    assert.ok(res.headers.get('x-request-id'));
  });

  it('when no signing key is left (the only one retired by a key of another algorithm), then 503 naming the keys check', async (t) => {
    const sut = await startTestServer({ JWT_ALGORITHM: 'EdDSA' });
    t.after(() => sut.close());
    const now = Date.now();
    await sut.store.auth.addKey(generateKey('ES256', now), now, now + 60_000);
    await sut.server.app.keyring.reload();

    const res = await call(`${sut.url}/readyz`, 'GET');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, {
      status: 'not ready',
      failed: ['keys'],
      checks: { ...ALL_OK, keys: 'no signing key' },
    });
  });

  it('once the server is told to stop, then /readyz fails first while every other request is still served, until the delay ends', async (t) => {
    const sut = await startTestServer({ HOLODULE_SHUTDOWN_DELAY_MS: '600000' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    const token = await sut.login('user01', 'password01');

    const closing = sut.server.close();
    const ready = await call(`${sut.url}/readyz`, 'GET');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, {
      status: 'not ready',
      failed: ['shutdown'],
      checks: { ...ALL_OK, shutdown: 'draining' },
    });
    assert.equal((await call(`${sut.url}/healthz`, 'GET')).status, 200);
    assert.equal((await getWithToken(`${sut.url}/holodules/20201209`, token)).status, 200);
    assert.equal((await sut.loginPair('user01', 'password01')).access_token.startsWith('ey'), true);

    // Asked to close again (a second SIGTERM), it stops waiting.
    await sut.server.close();
    await closing;
    await assert.rejects(fetch(`${sut.url}/healthz`), 'no longer listening');
  });

  it('is in the OpenAPI document, with its 503 answer', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    const doc = (await (await fetch(`${sut.url}/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    assert.deepEqual(Object.keys(doc.paths['/readyz']!.get.responses).sort(), ['200', '503']);
  });
});
