// CORS (HOLODULE_CORS_ORIGINS) over real HTTP: preflights, actual requests, and the default of no CORS at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStream } from '../support/streams.js';
import { getWithToken, startTestApp, type TestServer, fetch } from '../support/test-server.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

const preflight = (url: string, origin: string | undefined, requestHeaders = 'authorization, x-api-key') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { origin } : {}),
      'access-control-request-method': 'GET',
      'access-control-request-headers': requestHeaders,
    },
  });

const headerList = (value: string | null): string[] => (value ?? '').split(',').map((h) => h.trim().toLowerCase());

async function serverWith(env: Record<string, string>): Promise<{ sut: TestServer; token: string }> {
  const sut = await startTestApp(env);
  await sut.addUser('user01', 'password01');
  await sut.store.streams.upsertMany([makeStream('20201209 120000')]);
  return { sut, token: await sut.login('user01', 'password01') };
}

describe('CORS with a list of origins', () => {
  let sut: TestServer;
  let token: string;
  before(async () => {
    ({ sut, token } = await serverWith({ HOLODULE_CORS_ORIGINS: `${APP}, http://localhost:5173` }));
  });
  after(() => sut.close());

  it('when an allowed origin sends a preflight, then 204 allowing it, Authorization and X-API-Key, without credentials', async () => {
    const res = await preflight(`${sut.url}/holodules/20201209`, APP);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    const allowed = headerList(res.headers.get('access-control-allow-headers'));
    for (const header of ['authorization', 'x-api-key', 'content-type', 'if-none-match']) {
      assert.ok(allowed.includes(header), header);
    }
    assert.ok(headerList(res.headers.get('access-control-allow-methods')).includes('get'));
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.ok(headerList(res.headers.get('vary')).includes('origin'));
    assert.equal(await res.text(), '');
  });

  it('when a disallowed origin sends a preflight, then no Access-Control-Allow-Origin (the browser refuses)', async () => {
    const res = await preflight(`${sut.url}/holodules/20201209`, OTHER);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('when an allowed origin reads, then it may read the answer and its ETag, Link, Retry-After and request id', async () => {
    const res = await getWithToken(`${sut.url}/holodules/20201209`, token, { origin: APP });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    const exposed = headerList(res.headers.get('access-control-expose-headers'));
    for (const header of ['etag', 'link', 'retry-after', 'x-request-id']) assert.ok(exposed.includes(header), header);
    assert.deepEqual(headerList(res.headers.get('vary')), ['origin', 'authorization', 'x-api-key', 'accept-encoding']);
  });

  it('when an allowed origin is refused (401), then it may still read the error', async () => {
    const res = await fetch(`${sut.url}/holodules/20201209`, { headers: { origin: APP } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
  });

  it('when a disallowed origin reads, then the answer carries no Access-Control-Allow-Origin', async () => {
    const res = await getWithToken(`${sut.url}/holodules/20201209`, token, { origin: OTHER });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('when an OPTIONS request has no Origin, then an empty 204, not an error page', async () => {
    const res = await preflight(`${sut.url}/holodules/20201209`, undefined);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(await res.text(), '');
  });
});

describe('CORS with *', () => {
  let sut: TestServer;
  let token: string;
  before(async () => {
    ({ sut, token } = await serverWith({ HOLODULE_CORS_ORIGINS: '*' }));
  });
  after(() => sut.close());

  it('when any origin sends a preflight, then * and never credentials', async () => {
    const res = await preflight(`${sut.url}/holodules/20201209`, OTHER);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    assert.ok(headerList(res.headers.get('access-control-allow-headers')).includes('authorization'));
  });

  it('when any origin reads, then * and no credentials; the answer does not vary by Origin', async () => {
    const res = await getWithToken(`${sut.url}/holodules/20201209`, token, { origin: OTHER });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    assert.deepEqual(headerList(res.headers.get('vary')), ['authorization', 'x-api-key', 'accept-encoding']);
  });
});

describe('CORS by default', () => {
  let sut: TestServer;
  let token: string;
  before(async () => {
    ({ sut, token } = await serverWith({}));
  });
  after(() => sut.close());

  it('answers a preflight like any unknown route, with no CORS header', async () => {
    const res = await preflight(`${sut.url}/holodules/20201209`, APP);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-methods'), null);
    assert.ok(res.status >= 400 && res.status < 500);
  });

  it('sends no CORS header with an answer, whatever the Origin', async () => {
    const res = await getWithToken(`${sut.url}/holodules/20201209`, token, { origin: APP });
    assert.equal(res.status, 200);
    for (const [name] of res.headers) assert.doesNotMatch(name, /^access-control-/);
    assert.deepEqual(headerList(res.headers.get('vary')), ['authorization', 'x-api-key', 'accept-encoding']);
  });
});
