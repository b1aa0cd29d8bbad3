// fast-jwt warns on every start when a verifier has a custom cache key (GHSA-rp9m-7r4c-75qg); holodule's key is
// the token itself, which cannot collide, so that warning is kept out of the operator's log (src/auth/tokens.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStream } from '../support/streams.js';
import { fetch, startTestApp, type TestServer } from '../support/test-server.js';

describe("fast-jwt's cache key warning", () => {
  let sut: TestServer;
  const warnings: Error[] = [];
  const record = (warning: Error) => warnings.push(warning);

  before(async () => {
    process.on('warning', record);
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([makeStream('20201209 100000')]);
  });
  after(async () => {
    process.off('warning', record);
    await sut.close();
  });

  it('when a token is verified for the first time, then no cache key warning is written, and others still are', async () => {
    const token = await sut.login('user01', 'password01');
    const answer = await fetch(`${sut.url}/holodules/20201209`, { headers: { authorization: `JWT ${token}` } });
    assert.equal(answer.status, 200);
    process.emitWarning('a warning of its own', { code: 'HOLODULE_TEST_WARNING' });
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    const codes = warnings.map((w) => (w as Error & { code?: string }).code);
    assert.ok(!codes.includes('FAST_JWT_CACHE_KEY_BUILDER_SECURITY_RISK'), codes.join(', '));
    assert.ok(codes.includes('HOLODULE_TEST_WARNING'), 'other warnings are not swallowed');
  });
});
