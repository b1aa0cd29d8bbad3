// The caching hook on its own, on a bare Fastify with routes made for the test: the rules no v1 route shows
// (Last-Modified and If-Modified-Since, a route's own Cache-Control, opting out, streams).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { httpCachePlugin, ifNoneMatchMatches } from '../../src/http/plugins/http-cache.js';

const LAST_MODIFIED = 'Wed, 09 Dec 2020 14:00:00 GMT';

async function appWithRoutes(): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorate('config', loadConfig({}));
  await app.register(httpCachePlugin);
  app.get('/stream', async (_request, reply) => {
    void reply.header('last-modified', LAST_MODIFIED);
    return { video_id: 'yEttl2nfhsQ' };
  });
  app.get('/own-policy', async (_request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    return { keys: [] };
  });
  app.get('/probe', { config: { httpCache: false } }, async () => ({ ok: true }));
  app.get('/file', async (_request, reply) => reply.type('text/plain').send(Readable.from(['a file'])));
  app.post('/things', async () => ({ created: true }));
  return app;
}

describe('the HTTP caching hook', () => {
  it('answers 304 when If-Modified-Since is not older than the Last-Modified a route set', async (t) => {
    const sut = await appWithRoutes();
    t.after(() => sut.close());
    for (const since of [LAST_MODIFIED, 'Thu, 10 Dec 2020 00:00:00 GMT']) {
      const res = await sut.inject({ url: '/stream', headers: { 'if-modified-since': since } });
      assert.equal(res.statusCode, 304, since);
      assert.equal(res.body, '');
      assert.equal(res.headers['last-modified'], LAST_MODIFIED);
    }
  });

  it('answers 200 when If-Modified-Since is older or not a date', async (t) => {
    const sut = await appWithRoutes();
    t.after(() => sut.close());
    for (const since of ['Wed, 09 Dec 2020 13:59:59 GMT', 'yesterday', '']) {
      const res = await sut.inject({ url: '/stream', headers: { 'if-modified-since': since } });
      assert.equal(res.statusCode, 200, since);
    }
  });

  it('lets If-None-Match decide when both are sent (RFC 9110 §13.2.2)', async (t) => {
    const sut = await appWithRoutes();
    t.after(() => sut.close());
    const res = await sut.inject({
      url: '/stream',
      headers: { 'if-modified-since': LAST_MODIFIED, 'if-none-match': '"something-else"' },
    });
    assert.equal(res.statusCode, 200);
  });

  it("keeps a route's own Cache-Control (and adds no Vary), but still tags the body", async (t) => {
    const sut = await appWithRoutes();
    t.after(() => sut.close());
    const res = await sut.inject({ url: '/own-policy' });
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.equal(res.headers.vary, undefined);
    assert.ok(res.headers.etag);
  });

  it('leaves alone routes that opt out, streamed bodies and other methods than GET', async (t) => {
    const sut = await appWithRoutes();
    t.after(() => sut.close());
    const probe = await sut.inject({ url: '/probe', headers: { 'if-none-match': '*' } });
    const file = await sut.inject({ url: '/file', headers: { 'if-none-match': '*' } });
    const post = await sut.inject({ method: 'POST', url: '/things', headers: { 'if-none-match': '*' } });
    for (const res of [probe, file, post]) {
      assert.equal(res.statusCode === 200 || res.statusCode === 201, true);
      assert.equal(res.headers.etag, undefined);
      assert.equal(res.headers['cache-control'], undefined);
    }
  });
});

describe('If-None-Match matching', () => {
  const etag = '"abc"';
  const cases: Array<[string, boolean]> = [
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" ', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    ['', false],
    [',,', false],
  ];
  for (const [header, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ${JSON.stringify(header)}`, () => {
      assert.equal(ifNoneMatchMatches(header, etag), expected);
    });
  }
});
