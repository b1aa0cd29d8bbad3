// HOLODULE_PUBLIC_READ and the anonymous read limit, over real HTTP (and on MongoDB via on-mongodb.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeStream } from '../support/streams.js';
import { assertProblem } from '../support/v2.js';
import { call, getWithToken, startTestApp, type TestServer, fetch } from '../support/test-server.js';

async function serverWith(env: Record<string, string>, t: { after: (fn: () => Promise<void>) => void }) {
  const sut = await startTestApp(env);
  t.after(() => sut.close());
  await sut.addUser('user01', 'password01');
  await sut.store.streams.upsertMany([makeStream('20201209 120000')]);
  return sut;
}

const anonymous = (sut: TestServer, path = '/holodules/20201209') => fetch(`${sut.url}${path}`);

describe('public reads', () => {
  it('when reads are not public, then an anonymous day read is the contract 401', async (t) => {
    const sut = await serverWith({}, t);
    const res = await anonymous(sut);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'JWT realm="Login Required"');
    assert.deepEqual(await res.json(), {
      status_code: 401,
      error: 'Authorization Required',
      description: 'Request does not contain an access token',
    });
  });

  it('when reads are public, then an anonymous client reads the day, cacheable by shared caches', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true' }, t);
    const token = await sut.login('user01', 'password01');
    const res = await anonymous(sut);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), await (await getWithToken(`${sut.url}/holodules/20201209`, token)).text());
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
    assert.equal(res.headers.get('vary'), 'Authorization, X-API-Key, Accept-Encoding');
    assert.equal(res.headers.get('ratelimit-limit'), '60');
    assert.equal(res.headers.get('ratelimit-remaining'), '59');
    assert.ok(res.headers.get('etag'));
  });

  it('when reads are public, then a request with a bad token is still a 401 in the contract shape', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true' }, t);
    const expired = sut.signRaw({ identity: 'user01', iat: 1, nbf: 1, exp: 2 });
    for (const authorization of [`JWT ${expired}`, 'JWT not-a-token', 'Basic dXNlcjpwdw==', 'JWT']) {
      const res = await fetch(`${sut.url}/holodules/20201209`, { headers: { authorization } });
      assert.equal(res.status, 401, authorization);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['status_code', 'error', 'description']);
    }
  });

  it('when reads are public, then an empty Authorization header counts as none: anonymous, not a 401', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true' }, t);
    const res = await fetch(`${sut.url}/holodules/20201209`, { headers: { authorization: '  ' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
  });

  it('when reads are public, then a user is still served as a user: private caching, no anonymous limit', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '1' }, t);
    const token = await sut.login('user01', 'password01');
    for (let i = 0; i < 3; i++) {
      const res = await getWithToken(`${sut.url}/holodules/20201209`, token);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'private, max-age=60');
      assert.equal(res.headers.get('ratelimit-limit'), null);
    }
  });

  it('when reads are public, then writes, user management and the own account still need a user', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true' }, t);
    const attempts = [
      await call(`${sut.url}/users`, 'GET'),
      await call(`${sut.url}/users`, 'POST', { body: { username: 'mallory', password: 'password01' } }),
      await call(`${sut.url}/users/user01`, 'DELETE'),
      await call(`${sut.url}/me`, 'GET'),
    ];
    for (const res of attempts) {
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'Authorization Required');
    }
    assert.equal(await sut.store.users.findByUsername('mallory'), null);
  });

  it('when an address passes the limit, then 429 in the plain error shape with Retry-After and RateLimit headers', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '3' }, t);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await anonymous(sut)).status);
    assert.deepEqual(statuses, [200, 200, 200]);

    const refused = await anonymous(sut);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers.get('ratelimit-limit'), '3');
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.ok(refused.headers.get('ratelimit-reset'));
    assert.deepEqual(await refused.json(), {
      error: 'Too Many Requests',
      description: `More than 3 anonymous requests a minute from this address; retry in ${retryAfter} s or sign in`,
    });

    const token = await sut.login('user01', 'password01');
    assert.equal((await getWithToken(`${sut.url}/holodules/20201209`, token)).status, 200);
  });

  it('when two instances share a store, then they share the anonymous counts', async (t) => {
    const env = { HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '3' };
    const first = await serverWith(env, t);
    const second = await startTestApp(env, { dataDir: first.dataDir });
    t.after(() => second.close());
    assert.notEqual(first.url, second.url);
    assert.equal((await anonymous(first)).status, 200);
    assert.equal((await anonymous(second)).status, 200);
    assert.equal((await anonymous(first)).status, 200);
    const refused = await anonymous(second);
    assert.equal(refused.status, 429);
  });

  it('when the limit is 0, then anonymous reads are not counted', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '0' }, t);
    for (let i = 0; i < 3; i++) {
      const res = await anonymous(sut);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('ratelimit-limit'), null);
    }
  });
});

describe('public reads of v2', () => {
  const V2_READS = ['/api/v2/streams?from=2020-12-09&to=2020-12-09', '/api/v2/live'];

  it('when reads are not public, then an anonymous v2 read is a 401 in problem+json', async (t) => {
    const sut = await serverWith({}, t);
    for (const path of V2_READS) {
      const res = await anonymous(sut, path);
      const body = await assertProblem(res, 401);
      assert.equal(body.type, 'tag:holodule,2026:problem/unauthenticated', path);
      assert.equal(res.headers.get('www-authenticate'), 'JWT realm="Login Required"', path);
    }
  });

  it('when reads are public, then an anonymous client reads /api/v2/streams and /api/v2/live as a user does', async (t) => {
    const sut = await serverWith({ HOLODULE_PUBLIC_READ: 'true' }, t);
    const token = await sut.login('user01', 'password01');
    for (const path of V2_READS) {
      const res = await anonymous(sut, path);
      const text = await res.text();
      assert.equal(res.status, 200, `${path}: ${text}`);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', path);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=60', path);
      assert.equal(text, await (await getWithToken(`${sut.url}${path}`, token)).text(), path);
    }
    const page = (await (await anonymous(sut, V2_READS[0])).json()) as { items: Array<{ key: string }> };
    assert.deepEqual(
      page.items.map((s) => s.key),
      ['HL0503_20201209_120000'],
    );
  });
});
