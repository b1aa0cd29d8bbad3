// ETag, 304 and Cache-Control on the API's GETs, over real HTTP (and on MongoDB via on-mongodb.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etagOf } from '../../src/http/plugins/http-cache.js';
import { openStore } from '../../src/store/open-store.js';
import { makeStream } from '../support/streams.js';
import { fetch, getWithToken, startTestApp, type TestServer } from '../support/test-server.js';

describe('HTTP caching of GET /holodules/<date>', () => {
  let sut: TestServer;
  let token: string;
  const sora = makeStream('20201209 120000', { key: 'HL0001_20201209_120000', name: 'ときのそら' });

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([
      sora,
      makeStream('20201209 230000', { key: 'HL0503_20201209_230000', title: 'アカペラで歌う' }),
      makeStream('20201210 090000', { key: 'HL0G02_20201210_090000', name: '大神ミオ' }),
    ]);
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string, headers: Record<string, string> = {}) => getWithToken(`${sut.url}${path}`, token, headers);

  it('sends a strong ETag that is the hash of the exact body bytes', async () => {
    const res = await get('/holodules/20201209', { 'accept-encoding': 'identity' });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(res.headers.get('etag'), etagOf(body));
  });

  it('when the same day is read again, then the ETag is the same', async () => {
    const first = await get('/holodules/20201209');
    const second = await get('/holodules/20201209');
    const third = await get('/holodules/20201209');
    assert.equal(second.headers.get('etag'), first.headers.get('etag'));
    assert.equal(third.headers.get('etag'), first.headers.get('etag'));
    assert.notEqual((await get('/holodules/20201210')).headers.get('etag'), first.headers.get('etag'));
  });

  it('sends Cache-Control: private, max-age=60 and Vary: Authorization, X-API-Key, Accept-Encoding', async () => {
    const res = await get('/holodules/20201209');
    assert.equal(res.headers.get('cache-control'), 'private, max-age=60');
    assert.equal(res.headers.get('vary'), 'Authorization, X-API-Key, Accept-Encoding');
  });

  it('when If-None-Match names the current ETag, then 304 with no body, and the same validators', async () => {
    const fresh = await get('/holodules/20201209');
    const etag = fresh.headers.get('etag')!;
    const res = await get('/holodules/20201209', { 'if-none-match': etag });
    assert.equal(res.status, 304);
    assert.equal(await res.text(), '');
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(res.headers.get('cache-control'), 'private, max-age=60');
    assert.equal(res.headers.get('vary'), 'Authorization, X-API-Key, Accept-Encoding');
    assert.equal(res.headers.get('content-type'), null);
  });

  it('when If-None-Match lists the current ETag among others, weak or not, or is *, then 304', async () => {
    const etag = (await get('/holodules/20201209')).headers.get('etag')!;
    for (const header of [`"stale", ${etag}`, `W/${etag}`, '*']) {
      const res = await get('/holodules/20201209', { 'if-none-match': header });
      assert.equal(res.status, 304, header);
    }
  });

  it('when If-None-Match names a stale or malformed ETag, then 200 with the whole body', async () => {
    const fresh = await get('/holodules/20201209');
    const text = await fresh.text();
    for (const header of ['"AAAAAAAAAAAAAAAAAAAAAA"', 'garbage', '""', ',']) {
      const res = await get('/holodules/20201209', { 'if-none-match': header });
      assert.equal(res.status, 200, header);
      assert.equal(await res.text(), text);
    }
  });

  it('answers a HEAD with a matching If-None-Match with 304 too', async () => {
    const etag = (await get('/holodules/20201209')).headers.get('etag')!;
    const res = await fetch(`${sut.url}/holodules/20201209`, {
      method: 'HEAD',
      headers: { authorization: `JWT ${token}`, 'if-none-match': etag },
    });
    assert.equal(res.status, 304);
  });

  it('when a write changes the day, then the ETag changes and the old one gets the new body', async () => {
    const before = await get('/holodules/20201210');
    const oldEtag = before.headers.get('etag')!;
    await sut.store.streams.upsertMany([
      makeStream('20201210 090000', { key: 'HL0G02_20201210_090000', name: '大神ミオ', title: 'a new title' }),
    ]);
    const after = await get('/holodules/20201210', { 'if-none-match': oldEtag });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get('etag'), oldEtag);
    assert.match(await after.text(), /a new title/);
  });

  it('when another process (holodule collect, import, a second instance) changes the day, then the kept day gets a new ETag', async () => {
    const oldEtag = (await get('/holodules/20201209')).headers.get('etag')!;
    await get('/holodules/20201209');
    const other = await openStore(sut.config);
    try {
      await other.streams.upsertMany([{ ...sora, title: 'retitled by another process' }]);
    } finally {
      await other.close();
    }
    const res = await get('/holodules/20201209', { 'if-none-match': oldEtag });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /retitled by another process/);
    assert.equal(res.headers.get('etag'), (await get('/holodules/20201209')).headers.get('etag'));
  });

  it('when a write changes only fields that are not in the answer, then the ETag stays', async () => {
    const etag = (await get('/holodules/20201209')).headers.get('etag')!;
    const stored = (await sut.store.streams.findByKey(sora.key))!;
    assert.deepEqual(await sut.store.streams.upsertMany([{ ...stored, extra: { live_status: 'live' } }]), {
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    const res = await get('/holodules/20201209', { 'if-none-match': etag });
    assert.equal(res.status, 304);
  });

  it('does not answer If-None-Match without a token: the 401 comes first', async () => {
    const etag = (await get('/holodules/20201209')).headers.get('etag')!;
    const res = await fetch(`${sut.url}/holodules/20201209`, { headers: { 'if-none-match': etag } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('etag'), null);
  });

  it('sends no ETag or Cache-Control with an error (404 day, 400 date)', async () => {
    for (const path of ['/holodules/20201211', '/holodules/2020']) {
      const res = await get(path);
      assert.ok(res.status === 404 || res.status === 400);
      assert.equal(res.headers.get('etag'), null);
      assert.equal(res.headers.get('cache-control'), null);
    }
  });

  it('makes /me and /users revalidate every time (no-cache) and answers 304 until the account changes', async () => {
    await sut.addUser('admin01', 'password01', { role: 'admin' });
    const admin = await sut.login('admin01', 'password01');
    const me = await getWithToken(`${sut.url}/me`, token);
    assert.equal(me.headers.get('cache-control'), 'private, no-cache');
    assert.equal(me.headers.get('vary'), 'Authorization');
    const meAgain = await getWithToken(`${sut.url}/me`, token, { 'if-none-match': me.headers.get('etag')! });
    assert.equal(meAgain.status, 304);

    const users = await getWithToken(`${sut.url}/users`, admin);
    assert.equal(users.headers.get('cache-control'), 'private, no-cache');
    const etag = users.headers.get('etag')!;
    assert.equal((await getWithToken(`${sut.url}/users`, admin, { 'if-none-match': etag })).status, 304);
    await sut.addUser('user02', 'password02');
    const changed = await getWithToken(`${sut.url}/users`, admin, { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.match(await changed.text(), /user02/);
  });

  it('leaves /healthz uncached: no ETag, no Cache-Control, never a 304', async () => {
    const res = await fetch(`${sut.url}/healthz`, { headers: { 'if-none-match': '*' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), null);
    assert.equal(res.headers.get('cache-control'), null);
  });
});

describe('HOLODULE_CACHE_MAX_AGE', () => {
  it('sets the max-age, and 0 makes every use revalidate', async (t) => {
    for (const [value, expected] of [
      ['300', 'private, max-age=300'],
      ['0', 'private, no-cache'],
    ]) {
      const sut = await startTestApp({ HOLODULE_CACHE_MAX_AGE: value! });
      t.after(() => sut.close());
      await sut.addUser('user01', 'password01');
      await sut.store.streams.upsertMany([makeStream('20201209 120000')]);
      const res = await getWithToken(`${sut.url}/holodules/20201209`, await sut.login('user01', 'password01'));
      assert.equal(res.headers.get('cache-control'), expected);
    }
  });
});

describe('HTTP caching of v2 GETs (pre-encoded bodies)', () => {
  let sut: TestServer;
  let token: string;

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([makeStream('20201209 120000'), makeStream('20201209 230000')]);
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string, headers: Record<string, string> = {}) => getWithToken(`${sut.url}${path}`, token, headers);

  for (const path of ['/api/v2/streams?from=2020-12-09&to=2020-12-09', '/api/v2/live', '/api/v2/talents/HL0503']) {
    it(`when ${path} is read, then it carries the ETag of its bytes, and a matching If-None-Match gets 304`, async () => {
      const fresh = await get(path);
      assert.equal(fresh.status, 200);
      const body = Buffer.from(await fresh.arrayBuffer());
      const etag = fresh.headers.get('etag');
      assert.equal(etag, etagOf(body));
      assert.equal(fresh.headers.get('cache-control'), 'private, max-age=60');

      const again = await get(path, { 'if-none-match': etag! });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      assert.equal(again.headers.get('etag'), etag);

      const stale = await get(path, { 'if-none-match': '"not-the-etag"' });
      assert.equal(stale.status, 200);
      assert.deepEqual(Buffer.from(await stale.arrayBuffer()), body);
    });
  }

  it('when a v2 read is refused (400 problem), then it carries no ETag', async () => {
    const res = await get('/api/v2/live?hours=0');
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('etag'), null);
  });
});
