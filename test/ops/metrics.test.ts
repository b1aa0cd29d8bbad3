// GET /metrics: behind a bearer token (or on its own address), Prometheus text, bounded label sets.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

const TOKEN = randomBytes(24).toString('hex');

const scrape = (url: string, token = TOKEN): Promise<Response> =>
  fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });

/** The number of series of one metric (its _count lines for a histogram) in a scrape. */
const seriesOf = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('metrics', () => {
  test('when HOLODULE_METRICS_TOKEN is not set, there is no /metrics', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    const res = await scrape(sut.url);
    assert.equal(res.status, 404);
  });

  test("counts the web page's sign-ins (POST /api/v2/session) as logins too", async (t) => {
    const sut = await startTestServer({ HOLODULE_METRICS_TOKEN: TOKEN });
    t.after(() => sut.close());
    await sut.addUser('carol', 'correct horse battery');
    for (const password of ['correct horse battery', 'wrong password!']) {
      await call(`${sut.url}/api/v2/session`, 'POST', { body: { username: 'carol', password } });
    }

    const text = await (await scrape(sut.url)).text();

    assert.match(text, /holodule_logins_total\{outcome="success"\} 1/);
    assert.match(text, /holodule_logins_total\{outcome="failure"\} 1/);
  });

  describe('with a token', () => {
    let sut: TestServer;
    before(async () => {
      sut = await startTestServer({ HOLODULE_METRICS_TOKEN: TOKEN, HOLODULE_LOGIN_ADDRESS_FAILURES: '2' });
      await sut.addUser('alice', 'correct horse battery');
    });
    after(() => sut.close());

    test('rejects a request without a token with 401 and a Bearer challenge', async () => {
      const res = await fetch(`${sut.url}/metrics`);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(((await res.json()) as { error: string }).error, 'Unauthorized');
    });

    test('rejects a wrong token, a token of another length and another scheme with 401', async () => {
      assert.equal((await scrape(sut.url, `${TOKEN.slice(0, -1)}x`)).status, 401);
      assert.equal((await scrape(sut.url, 'short')).status, 401);
      const jwtScheme = await fetch(`${sut.url}/metrics`, { headers: { authorization: `JWT ${TOKEN}` } });
      assert.equal(jwtScheme.status, 401);
    });

    test('counts requests by route template, store operations, login outcomes and throttle hits', async () => {
      await sut.login('alice', 'correct horse battery');
      for (let i = 0; i < 3; i++) {
        await call(`${sut.url}/auth`, 'POST', { body: { username: 'alice', password: 'wrong password!' } });
      }
      await fetch(`${sut.url}/healthz`);
      const res = await scrape(sut.url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.match(
        text,
        /holodule_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
      );
      assert.match(text, /holodule_logins_total\{outcome="success"\} 1/);
      assert.match(text, /holodule_logins_total\{outcome="failure"\} 2/);
      assert.match(text, /holodule_logins_total\{outcome="throttled"\} 1/);
      assert.match(text, /holodule_throttle_hits_total\{route="\/auth"\} 1/);
      assert.match(
        text,
        /holodule_store_operation_duration_seconds_count\{operation="users.findByUsername",outcome="ok"\} \d+/,
      );
      for (const name of [
        'nodejs_eventloop_lag_seconds',
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'holodule_collector_runs_total',
        'holodule_youtube_quota_units_total',
        'holodule_sse_clients',
      ]) {
        assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
      }
    });

    test('100 random unknown URLs add one series, not 100', async () => {
      const count = 'holodule_http_request_duration_seconds_count';
      const before = seriesOf(await (await scrape(sut.url)).text(), count).length;
      for (let i = 0; i < 100; i++) await fetch(`${sut.url}/nothing-${randomBytes(6).toString('hex')}/${i}`);
      const text = await (await scrape(sut.url)).text();
      const added = seriesOf(text, count).length - before;
      assert.ok(added <= 2, `expected at most the unmatched series and the scrape's own, got ${added} new series`);
      assert.match(text, new RegExp(`${count}\\{method="GET",route="unmatched",status="404"\\} 100`));
    });
  });

  test('HOLODULE_METRICS_ADDRESS serves /metrics on its own port, still behind the token', async (t) => {
    const sut = await startTestServer({ HOLODULE_METRICS_TOKEN: TOKEN, HOLODULE_METRICS_ADDRESS: '127.0.0.1:0' });
    t.after(() => sut.close());
    const url = sut.server.metricsUrl;
    assert.ok(url);
    const base = url.replace(/\/metrics$/, '');
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(`${base}/healthz`)).status, 404);
    const res = await scrape(base);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /holodule_http_request_duration_seconds/);
  });

  test('refuses a short metrics token and an address without a port at start-up', () => {
    assert.throws(() => loadConfig({ HOLODULE_METRICS_TOKEN: 'abc' }), ConfigError);
    assert.throws(() => loadConfig({ HOLODULE_METRICS_TOKEN: `${TOKEN} x` }), ConfigError);
    assert.throws(() => loadConfig({ HOLODULE_METRICS_ADDRESS: '127.0.0.1' }), /HOLODULE_METRICS_ADDRESS/);
    assert.throws(() => loadConfig({ HOLODULE_METRICS_ADDRESS: 'localhost:99999' }), /HOLODULE_METRICS_ADDRESS/);
    assert.deepEqual(loadConfig({ HOLODULE_METRICS_ADDRESS: '[::1]:9464' }).metrics.address, {
      host: '::1',
      port: 9464,
    });
  });
});
