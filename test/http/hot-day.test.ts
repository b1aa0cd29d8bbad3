// The hot day read (src/http/hot-day.ts) answers GET /holodules/<day> before Fastify. Two real servers on one
// store answer the same requests: one with the hot path (log level warn) and one without (info, where it steps
// aside so the access log is written as always). Every answer must be the same, byte for byte; credentials must
// die on the hot path exactly when they die on Fastify's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setDisabled } from '../../src/domain/users.js';
import { makeStream } from '../support/streams.js';
import { type RawAnswer, rawRequest, startTestServer, type TestServer } from '../support/test-server.js';

const DAY = '/holodules/20201209';
/** The one header that depends on the moment, not on the answer. */
const OF_THE_MOMENT = new Set(['date']);

function comparable(answer: RawAnswer, keepRequestId: boolean) {
  const headers = Object.entries(answer.headers)
    .filter(([name]) => !OF_THE_MOMENT.has(name) && (keepRequestId || name !== 'x-request-id'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return { status: answer.status, headers, body: answer.body.toString('base64') };
}

describe('the hot day read, answered before Fastify', () => {
  let hot: TestServer;
  let plain: TestServer;
  let token: string;

  before(async () => {
    hot = await startTestServer({ HOLODULE_METRICS_TOKEN: 'metrics-token-for-the-test' }, { logLevel: 'warn' });
    plain = await startTestServer({}, { dataDir: hot.dataDir, logLevel: 'info' });
    await hot.addUser('user01', 'password01');
    await hot.addUser('user02', 'password02');
    await hot.store.streams.upsertMany(
      Array.from({ length: 12 }, (_, i) =>
        makeStream(`20201209 ${String(10 + i).padStart(2, '0')}0000`, { title: `歌枠 ${i} アカペラ` }),
      ),
    );
    token = await hot.login('user01', 'password01');
  });
  after(async () => {
    await plain.close();
    await hot.close();
  });

  const getFrom = (server: TestServer, path: string, headers: Record<string, string>, method = 'GET') =>
    rawRequest(`${server.url}${path}`, { method, headers });

  const SAME_ANSWERS: Array<[string, string, (token: string) => Record<string, string>, string?]> = [
    ['a day as is', DAY, (t) => ({ authorization: `JWT ${t}` })],
    ['a day in Brotli', DAY, (t) => ({ authorization: `JWT ${t}`, 'accept-encoding': 'br, gzip' })],
    ['a day in gzip', DAY, (t) => ({ authorization: `JWT ${t}`, 'accept-encoding': 'gzip, deflate' })],
    [
      'a day with every coding refused',
      DAY,
      (t) => ({ authorization: `JWT ${t}`, 'accept-encoding': 'br;q=0, gzip;q=0' }),
    ],
    ['a day with a Bearer token', DAY, (t) => ({ authorization: `Bearer ${t}` })],
    ['a day with the token and an API key', DAY, (t) => ({ authorization: `JWT ${t}`, 'x-api-key': 'hk_not-a-key' })],
    ['a day without streams (404)', '/holodules/20301209', (t) => ({ authorization: `JWT ${t}` })],
    ['a token with a bad signature (401)', DAY, (t) => ({ authorization: `JWT ${t.slice(0, -4)}AAAA` })],
    ['a prefix without a token (401)', DAY, () => ({ authorization: 'JWT' })],
    ['a token of another scheme (401)', DAY, (t) => ({ authorization: `Basic ${t}` })],
    ['a matching If-None-Match (304, Fastify)', DAY, (t) => ({ authorization: `JWT ${t}`, 'if-none-match': '*' })],
    ['a day that does not exist (400, Fastify)', '/holodules/20201332', (t) => ({ authorization: `JWT ${t}` })],
    ['a day by HEAD (Fastify)', DAY, (t) => ({ authorization: `JWT ${t}` }), 'HEAD'],
    ['a day without credentials (401, Fastify)', DAY, () => ({})],
  ];

  for (const [name, path, headersOf, method] of SAME_ANSWERS) {
    it(`when asked for ${name}, then both paths answer the same bytes and headers`, async () => {
      const headers = headersOf(token);
      const [fromHot, fromPlain] = [
        await getFrom(hot, path, headers, method),
        await getFrom(plain, path, headers, method),
      ];
      assert.deepEqual(comparable(fromHot, false), comparable(fromPlain, false));
      assert.match(String(fromHot.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  }

  it('when a day is read with a token, then the hot path answers it and Fastify never sees it', async () => {
    const before = hot.server.app.hotDay.answered;
    const answer = await getFrom(hot, DAY, { authorization: `JWT ${token}` });
    assert.equal(answer.status, 200);
    assert.equal(hot.server.app.hotDay.answered, before + 1);
    assert.equal(plain.server.app.hotDay.answered, 0, 'a server writing the access log never takes the hot path');
  });

  it('when a request names its id, then the hot path answers with it, as Fastify does', async () => {
    const headers = { authorization: `JWT ${token}`, 'x-request-id': 'client-id.42:a' };
    const [fromHot, fromPlain] = [await getFrom(hot, DAY, headers), await getFrom(plain, DAY, headers)];
    assert.deepEqual(comparable(fromHot, true), comparable(fromPlain, true));
    assert.equal(fromHot.headers['x-request-id'], 'client-id.42:a');
  });

  it('when the token is logged out on another instance, then the hot path refuses it at once', async () => {
    const own = await hot.login('user02', 'password02');
    assert.equal((await getFrom(hot, DAY, { authorization: `JWT ${own}` })).status, 200);
    const out = await rawRequest(`${plain.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `JWT ${own}` },
    });
    assert.equal(out.status, 204);
    const answered = hot.server.app.hotDay.answered;
    const refused = await getFrom(hot, DAY, { authorization: `JWT ${own}` });
    assert.equal(refused.status, 401);
    assert.equal(hot.server.app.hotDay.answered, answered);
  });

  it('when the user is disabled on another instance, then its token dies on the hot path at once', async () => {
    await hot.addUser('user03', 'password03');
    const own = await hot.login('user03', 'password03');
    assert.equal((await getFrom(hot, DAY, { authorization: `JWT ${own}` })).status, 200);
    await setDisabled(plain.store, 'user03', true);
    const refused = await getFrom(hot, DAY, { authorization: `JWT ${own}` });
    assert.equal(refused.status, 401);
    assert.deepEqual(
      comparable(refused, false),
      comparable(await getFrom(plain, DAY, { authorization: `JWT ${own}` }), false),
    );
  });

  it('when a stream is added on another instance, then the next hot read has it', async () => {
    const headers = { authorization: `JWT ${token}` };
    const before = JSON.parse((await getFrom(hot, DAY, headers)).body.toString()) as { result: number };
    await plain.store.streams.upsertMany([makeStream('20201209 230000', { title: 'added elsewhere' })]);
    const after = await getFrom(hot, DAY, headers);
    const body = JSON.parse(after.body.toString()) as { result: number; holodules: Array<{ title: string }> };
    assert.equal(body.result, before.result + 1);
    assert.ok(body.holodules.some((s) => s.title === 'added elsewhere'));
  });

  it('when the hot path answers, then the request is in the metrics under the route, as Fastify counts it', async () => {
    const countOf = async () => {
      const metrics = await rawRequest(`${hot.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-for-the-test' },
      });
      const line = metrics.body
        .toString()
        .split('\n')
        .find((l) =>
          l.startsWith(
            'holodule_http_request_duration_seconds_count{method="GET",route="/holodules/:date",status="200"}',
          ),
        );
      return line === undefined ? 0 : Number(line.split(' ').at(-1));
    };
    const before = await countOf();
    const answered = hot.server.app.hotDay.answered;
    await getFrom(hot, DAY, { authorization: `JWT ${token}` });
    assert.equal(hot.server.app.hotDay.answered, answered + 1);
    assert.equal(await countOf(), before + 1);
  });
});

describe('the hot day read steps aside', () => {
  it('when CORS is on, then every day read goes through Fastify (its answer depends on Origin)', async () => {
    const sut = await startTestServer({ HOLODULE_CORS_ORIGINS: 'https://app.example' }, { logLevel: 'warn' });
    try {
      await sut.addUser('user01', 'password01');
      await sut.store.streams.upsertMany([makeStream('20201209 100000')]);
      const token = await sut.login('user01', 'password01');
      const answer = await rawRequest(`${sut.url}${DAY}`, {
        headers: { authorization: `JWT ${token}`, origin: 'https://app.example' },
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(sut.server.app.hotDay.answered, 0);
    } finally {
      await sut.close();
    }
  });
});

describe('the hot day read on a public deployment (HOLODULE_PUBLIC_READ)', () => {
  let hot: TestServer;
  let plain: TestServer;
  let token: string;
  const env = { HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '1000' };

  before(async () => {
    hot = await startTestServer(env, { logLevel: 'warn' });
    plain = await startTestServer(env, { dataDir: hot.dataDir, logLevel: 'info' });
    await hot.addUser('user01', 'password01');
    await hot.store.streams.upsertMany([makeStream('20201209 100000'), makeStream('20201209 120000')]);
    token = await hot.login('user01', 'password01');
  });
  after(async () => {
    await plain.close();
    await hot.close();
  });

  const CASES: Array<[string, () => Record<string, string>]> = [
    ['a read with a token (private, answered before Fastify)', () => ({ authorization: `JWT ${token}` })],
    ['a read with a bad token (401: a token is always verified)', () => ({ authorization: `JWT ${token}x` })],
    ['an anonymous read (public, counted by Fastify)', () => ({})],
  ];
  for (const [name, headersOf] of CASES) {
    it(`when asked for ${name}, then both paths answer the same`, async () => {
      const [fromHot, fromPlain] = [
        await rawRequest(`${hot.url}${DAY}`, { headers: headersOf() }),
        await rawRequest(`${plain.url}${DAY}`, { headers: headersOf() }),
      ];
      const withoutCounts = (answer: RawAnswer) => {
        const { headers, ...rest } = comparable(answer, false);
        // Both servers count anonymous reads in one shared store: the remaining count differs by one.
        return { ...rest, headers: headers.filter(([header]) => !header.startsWith('ratelimit')) };
      };
      assert.deepEqual(withoutCounts(fromHot), withoutCounts(fromPlain));
    });
  }

  it('when a token reads, then the hot path answers it with Cache-Control private', async () => {
    const answered = hot.server.app.hotDay.answered;
    const answer = await rawRequest(`${hot.url}${DAY}`, { headers: { authorization: `JWT ${token}` } });
    assert.equal(answer.headers['cache-control'], 'private, max-age=60');
    assert.equal(hot.server.app.hotDay.answered, answered + 1);
  });
});
