import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { startCollectScheduler, type RunOutcome } from '../../src/collector/collect-scheduler.js';
import { startHarness } from '../support/collect-harness.js';
import { schedulePage } from '../support/schedule-fixtures.js';

const page = schedulePage([
  { date: '12/09', weekday: '水', cards: [{ videoId: 'bbbbbbbbbb2', time: '23:00', name: '尾丸ポルカ' }] },
]);

/** Page requests wait until the test lets them through. */
function gate() {
  const waiting: (() => void)[] = [];
  const arrived = new EventEmitter();
  return {
    handler: () =>
      new Promise<{ body: string }>((resolve) => {
        waiting.push(() => resolve({ body: page }));
        arrived.emit('request');
      }),
    arrived: () => once(arrived, 'request'),
    open: () => {
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe('collect scheduler', () => {
  it('collects on every interval until stopped', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: page });
    const runs = new EventEmitter();
    const outcomes: RunOutcome[] = [];
    const sut = startCollectScheduler({
      store: h.store,
      config: h.config,
      log: h.captured.log,
      intervalMs: 10,
      initialDelayMs: 0,
      jitterMs: 5,
      onRun: (o) => {
        outcomes.push(o);
        runs.emit('run');
      },
    });
    t.after(() => sut.stop());

    while (outcomes.length < 3) await once(runs, 'run');
    await sut.stop();

    assert.deepEqual(
      outcomes.slice(0, 3).map((o) => o.ran && o.result.new),
      [1, 0, 0],
    );
    assert.equal(sut.nextRunAt, null);
    assert.deepEqual(await sut.runNow(), { ran: false, reason: 'stopped' });
  });

  it('never runs twice at once: a second request joins the run in progress', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const held = gate();
    h.server.handle('/', held.handler);
    const sut = startCollectScheduler({
      store: h.store,
      config: h.config,
      log: h.captured.log,
      intervalMs: 3_600_000,
      initialDelayMs: 3_600_000,
    });
    t.after(() => sut.stop());

    const arrived = held.arrived();
    const first = sut.runNow();
    const second = sut.runNow();
    await arrived;
    held.open();

    assert.equal(await first, await second);
    assert.equal(h.server.requests.filter((r) => r.pathname === '/').length, 1);
  });

  it('lets only the lease holder collect when several instances share a store', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: page });
    const common = {
      store: h.store,
      config: h.config,
      log: h.captured.log,
      intervalMs: 3_600_000,
      initialDelayMs: 3_600_000,
    };
    const a = startCollectScheduler({ ...common, holder: 'instance-a' });
    const b = startCollectScheduler({ ...common, holder: 'instance-b' });
    t.after(() => Promise.all([a.stop(), b.stop()]));

    const byA = await a.runNow();
    const byB = await b.runNow();

    assert.equal(byA.ran, true);
    assert.deepEqual(byB, { ran: false, reason: 'lease-held-elsewhere' });
    assert.equal(h.server.requests.length, 1);
  });

  it('hands collecting over when the holder stops, or dies and its lease expires', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: page });
    const common = {
      store: h.store,
      config: h.config,
      log: h.captured.log,
      intervalMs: 3_600_000,
      initialDelayMs: 3_600_000,
    };
    // A zero lease lifetime stands for a holder that died without renewing.
    const dying = startCollectScheduler({ ...common, holder: 'instance-a', leaseTtlMs: 0 });
    const b = startCollectScheduler({ ...common, holder: 'instance-b' });
    const c = startCollectScheduler({ ...common, holder: 'instance-c' });
    t.after(() => Promise.all([dying.stop(), b.stop(), c.stop()]));

    assert.equal((await dying.runNow()).ran, true);
    assert.equal((await b.runNow()).ran, true);
    assert.equal((await c.runNow()).ran, false);
    await b.stop();
    assert.equal((await c.runNow()).ran, true);
  });

  it('stop aborts a run that is waiting on the network and waits for it to end', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false, env: { HOLODULE_COLLECT_TIMEOUT_MS: '600000' } });
    const never = gate();
    h.server.handle('/', never.handler);
    const sut = startCollectScheduler({
      store: h.store,
      config: h.config,
      log: h.captured.log,
      intervalMs: 3_600_000,
      initialDelayMs: 3_600_000,
    });

    const arrived = never.arrived();
    const run = sut.runNow();
    await arrived;
    await sut.stop();

    assert.deepEqual(await run, { ran: false, reason: 'stopped' });
    assert.equal(await h.store.leases.acquire('collector', 'someone-else', 1000), true);
  });

  it('does nothing when the interval is 0', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const sut = startCollectScheduler({ store: h.store, config: { ...h.config, intervalMs: 0 }, log: h.captured.log });

    assert.equal(sut.enabled, false);
    assert.deepEqual(await sut.runNow(), { ran: false, reason: 'disabled' });
    await sut.stop();
    assert.equal(h.server.requests.length, 0);
  });
});
