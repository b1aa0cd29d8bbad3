import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStream } from '../support/streams.js';
import { getWithToken, startTestApp, TEST_STORE, type TestServer, fetch } from '../support/test-server.js';

describe('GET /holodules/<date>', () => {
  let sut: TestServer;
  let token: string;

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([
      makeStream('20201209 120000', { key: 'HL0001_20201209_120000', name: 'ときのそら' }),
      makeStream('20201209 230000', {
        key: 'HL0503_20201209_230000',
        video_id: 'yEttl2nfhsQ',
        url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
        title: 'アカペラで歌う',
        extra: { live_status: 'upcoming', first_seen: '2020-12-09T00:00:00Z' },
      }),
      makeStream('20201209 180000', { key: 'HL0G02_20201209_180000', name: '大神ミオ' }),
      makeStream('20201210 000000'),
      makeStream('20201208 235959'),
    ]);
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string) => getWithToken(`${sut.url}${path}`, token);

  it("when the day has streams, then 200 with result and that day's streams, newest first", async () => {
    const res = await get('/holodules/20201209');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as { result: number; holodules: Array<Record<string, string>> };
    assert.equal(body.result, 3);
    assert.deepEqual(
      body.holodules.map((s) => s.datetime),
      ['20201209 230000', '20201209 180000', '20201209 120000'],
    );
  });

  it('writes each stream with exactly the contract fields, in the contract order, and no fields of our own', async () => {
    const text = await (await get('/holodules/20201209')).text();
    const body = JSON.parse(text) as { holodules: Array<Record<string, string>> };
    assert.deepEqual(Object.keys(body), ['result', 'holodules']);
    for (const stream of body.holodules) {
      assert.deepEqual(Object.keys(stream), ['key', 'video_id', 'datetime', 'name', 'title', 'url', 'description']);
    }
    assert.deepEqual(body.holodules[0], {
      key: 'HL0503_20201209_230000',
      video_id: 'yEttl2nfhsQ',
      datetime: '20201209 230000',
      name: '尾丸ポルカ',
      title: 'アカペラで歌う',
      url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
      description: body.holodules[0]!.description,
    });
    assert.match(text, /"name":"尾丸ポルカ"/, 'non-ASCII is written as UTF-8, not escaped');
  });

  it('when the day has no streams, then 404 {"error": "Not found"}', async () => {
    const res = await get('/holodules/20201211');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'Not found' });
  });

  const badDates: Array<[string, string]> = [
    ['2020-12-09', 'date must be 8 digits, YYYYMMDD (e.g. 20201209)'],
    ['202012', 'date must be 8 digits, YYYYMMDD (e.g. 20201209)'],
    ['202012091', 'date must be 8 digits, YYYYMMDD (e.g. 20201209)'],
    ['2020120a', 'date must be 8 digits, YYYYMMDD (e.g. 20201209)'],
    ['..%2F..%2Fetc', 'date must be 8 digits, YYYYMMDD (e.g. 20201209)'],
    ['20201332', '20201332 is not a calendar date (YYYYMMDD)'],
    ['20210229', '20210229 is not a calendar date (YYYYMMDD)'],
    ['20201200', '20201200 is not a calendar date (YYYYMMDD)'],
  ];
  for (const [date, description] of badDates) {
    it(`when the date is ${date}, then 400 Bad request saying why`, async () => {
      const res = await get(`/holodules/${date}`);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'Bad request', description });
    });
  }

  it('accepts a leap day', async () => {
    assert.equal((await get('/holodules/20200229')).status, 404);
  });

  it('when the path climbs out with ../, then 404 Not found (no route), never a file', async () => {
    const res = await get('/holodules/../../etc/passwd');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'Not found' });
  });

  it('when the route is unknown, then 404 {"error": "Not found"}', async () => {
    for (const path of ['/nope', '/holodules', '/holodules/20201209/extra']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'Not found' });
    }
  });

  it('tags every answer with a request id, and keeps a sane one the client sent', async () => {
    const mine = await getWithToken(`${sut.url}/holodules/20201209`, token, { 'x-request-id': 'proxy-abc.123' });
    assert.equal(mine.headers.get('x-request-id'), 'proxy-abc.123');
    const junk = await getWithToken(`${sut.url}/holodules/20201209`, token, { 'x-request-id': 'bad id\twith spaces' });
    assert.match(junk.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('answers a day asked again after it changed with the change, however often it was asked before', async () => {
    const stream = makeStream('20201211 200000', { title: 'before' });
    await sut.store.streams.upsertMany([stream]);
    for (let i = 0; i < 3; i++) await (await get('/holodules/20201211')).arrayBuffer();

    await sut.store.streams.upsertMany([{ ...stream, title: 'after' }]);
    const res = await get('/holodules/20201211');

    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as { holodules: Array<{ title: string }> };
    assert.deepEqual(
      body.holodules.map((s) => s.title),
      ['after'],
    );
  });
});

describe('server faults', () => {
  // A closed MongoDB client is a lost database (503); test/http/mongo-faults.test.ts covers MongoDB's faults.
  it('when the database fails under a request, then 500 {"error": "Internal Server Error"} with no detail', {
    skip: TEST_STORE === 'mongodb' && 'SQLite only',
  }, async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    const token = await sut.login('user01', 'password01');
    await sut.store.close();
    const res = await getWithToken(`${sut.url}/holodules/20201209`, token);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'Internal Server Error' });
  });
});

describe('GET /healthz', () => {
  it('answers 200 without auth, as a liveness check that touches no database', async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    const res = await fetch(`${sut.url}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; uptime_s: number };
    assert.deepEqual(Object.keys(body), ['status', 'uptime_s']);
    assert.equal(body.status, 'ok');
  });
});

describe('the OpenAPI document', () => {
  it('is served at /openapi.json and describes every route, with a docs page at /docs', async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    const doc = (await (await fetch(`${sut.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.match(doc.openapi, /^3\./);
    for (const path of [
      '/auth',
      '/auth/refresh',
      '/auth/logout',
      '/holodules/{date}',
      '/users',
      '/users/{username}',
      '/users/{username}/password',
      '/me',
      '/me/password',
      '/.well-known/jwks.json',
      '/healthz',
      '/readyz',
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const docs = await fetch(`${sut.url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger/i);
  });
});
