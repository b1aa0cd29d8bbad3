import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startFixtureServer } from '../support/fixture-http-server.js';
import { schedulePage } from '../support/schedule-fixtures.js';
import { call, startTestServer } from '../support/test-server.js';

describe('holodule serve with background collection', () => {
  it('collects the schedule page into the store the API serves', async (t) => {
    const site = await startFixtureServer();
    t.after(() => site.close());
    site.on('/', {
      body: schedulePage([
        { date: '12/09', weekday: '水', cards: [{ videoId: 'bbbbbbbbbb2', time: '23:00', name: '尾丸ポルカ' }] },
      ]),
    });
    const sut = await startTestServer({
      HOLODULE_COLLECT_INTERVAL: '1h',
      HOLODULE_URL: `${site.url}/`,
      HOLODULE_LIST_URL: 'off',
      HOLODULE_COLLECT_RETRIES: '0',
    });
    t.after(() => sut.close());
    assert.equal(sut.server.collector.enabled, true);
    assert.ok(sut.server.collector.nextRunAt, 'a run is scheduled');

    const outcome = await sut.server.collector.runNow();

    assert.equal(outcome.ran, true);
    const stored = await sut.store.streams.findByVideoId('bbbbbbbbbb2');
    assert.ok(stored, 'the stream is stored');
    await sut.addUser('user01', 'password01');
    const token = await sut.login('user01', 'password01');
    const day = await call(`${sut.url}/holodules/${stored.datetime.slice(0, 8)}`, 'GET', { token });
    assert.equal(day.status, 200);
    assert.equal(day.body.holodules[0].video_id, 'bbbbbbbbbb2');
  });

  it('starts with the app and stops when the app closes', async (t) => {
    const sut = await startTestServer({ HOLODULE_COLLECT_INTERVAL: '1h', HOLODULE_URL: 'http://127.0.0.1:9/' });
    t.after(() => sut.close());
    assert.ok(sut.server.collector.nextRunAt, 'a run is scheduled once the app is ready');

    await sut.server.app.close();

    assert.equal(sut.server.collector.nextRunAt, null);
    assert.deepEqual(await sut.server.collector.runNow(), { ran: false, reason: 'stopped' });
  });

  it('is off with HOLODULE_COLLECT_INTERVAL=0', async (t) => {
    const sut = await startTestServer({ HOLODULE_COLLECT_INTERVAL: '0' });
    t.after(() => sut.close());
    assert.equal(sut.server.collector.enabled, false);
  });
});
