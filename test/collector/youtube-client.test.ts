import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { msUntilPacificMidnight, YouTubeClient } from '../../src/collector/youtube-client.js';
import { captureLog } from '../support/capture-log.js';
import { FakeYouTube, KEY_INVALID, QUOTA_EXCEEDED, SERVER_ERROR } from '../support/fake-youtube.js';
import { startFixtureServer } from '../support/fixture-http-server.js';

const ids = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(10, '0')}`);

async function arrange(t: TestContext, options: { retries?: number; timeoutMs?: number } = {}) {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const youtube = new FakeYouTube(server);
  const captured = captureLog();
  const clock = { now: Date.parse('2020-12-09T03:00:00Z') };
  const sut = new YouTubeClient({
    apiKey: youtube.key,
    baseUrl: youtube.baseUrl,
    policy: { timeoutMs: options.timeoutMs ?? 2000, retries: options.retries ?? 2, retryDelayMs: 1 },
    log: captured.log,
    now: () => clock.now,
  });
  return { sut, youtube, captured, clock };
}

describe('YouTubeClient', () => {
  it('asks for at most 50 ids a call, with the snippet and live details', async (t) => {
    const { sut, youtube } = await arrange(t);
    const all = ids(120);
    youtube.add(...all.map((id) => ({ id, title: `title ${id}` })));

    const result = await sut.lookup(all);

    assert.deepEqual(
      youtube.calls.map((c) => c.length),
      [50, 50, 20],
    );
    assert.equal(result.found.size, 120);
    assert.equal(result.found.get(all[0]!)?.title, `title ${all[0]}`);
  });

  it('reports ids missing from a good answer as missing (private or deleted), not as unanswered', async (t) => {
    const { sut, youtube } = await arrange(t);
    const [visible, gone] = ids(2);
    youtube.add({
      id: visible!,
      title: 'visible',
      actualStartTime: '2020-12-09T14:00:00Z',
      liveBroadcastContent: 'live',
    });

    const result = await sut.lookup([visible!, gone!]);

    assert.deepEqual([...result.found.keys()], [visible]);
    assert.deepEqual([...result.missing], [gone]);
    assert.deepEqual([...result.unanswered], []);
    assert.equal(result.found.get(visible!)?.actualStartTime, '2020-12-09T14:00:00Z');
  });

  it('when the quota is exceeded, answers nothing, pauses until the quota resets and logs it once', async (t) => {
    const { sut, youtube, captured } = await arrange(t);
    youtube.script(QUOTA_EXCEEDED);

    const first = await sut.lookup(ids(3));
    const second = await sut.lookup(ids(3));

    assert.equal(first.unanswered.size, 3);
    assert.equal(second.unanswered.size, 3);
    assert.equal(youtube.calls.length, 1);
    assert.ok(sut.pausedUntil);
    assert.equal(captured.warnings(/quota/), 1);
  });

  it('when the key is refused, answers nothing and backs off without marking anything missing', async (t) => {
    const { sut, youtube, captured } = await arrange(t);
    youtube.script(KEY_INVALID);

    const result = await sut.lookup(ids(2));

    assert.deepEqual([...result.missing], []);
    assert.equal(result.unanswered.size, 2);
    assert.ok(sut.pausedUntil);
    assert.equal(captured.warnings(/key refused/), 1);
  });

  it('retries a 500 a bounded number of times, then gives up for this run', async (t) => {
    const { sut, youtube, captured } = await arrange(t, { retries: 2 });
    youtube.script(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR);

    const result = await sut.lookup(ids(1));

    assert.equal(youtube.calls.length, 3);
    assert.equal(result.unanswered.size, 1);
    assert.equal(captured.warnings(/unreachable/), 1);
  });

  it('gets the answer when a retry after a 500 succeeds', async (t) => {
    const { sut, youtube } = await arrange(t);
    const [id] = ids(1);
    youtube.add({ id: id!, title: 'second time lucky' });
    youtube.script(SERVER_ERROR);

    const result = await sut.lookup([id!]);

    assert.equal(result.found.get(id!)?.title, 'second time lucky');
  });

  it('gives up on a call that hangs once its timeout passes, retries included', async (t) => {
    const { sut, youtube } = await arrange(t, { retries: 1, timeoutMs: 150 });
    youtube.script('hang', 'hang');

    const result = await sut.lookup(ids(1));

    assert.equal(youtube.calls.length, 2);
    assert.equal(result.unanswered.size, 1);
  });

  it('keeps the answers of the calls before one that fails halfway through', async (t) => {
    const { sut, youtube } = await arrange(t, { retries: 0 });
    const all = ids(60);
    youtube.add(...all.map((id) => ({ id, title: id })));
    youtube.scriptCall(2, SERVER_ERROR);

    const result = await sut.lookup(all);

    assert.equal(result.found.size, 50);
    assert.equal(result.unanswered.size, 10);
    assert.equal(result.missing.size, 0);
  });

  it('asks again once the pause is over, and says YouTube answers again', async (t) => {
    const { sut, youtube, captured, clock } = await arrange(t);
    const [id] = ids(1);
    youtube.add({ id: id!, title: 'back' });
    youtube.script(KEY_INVALID);
    await sut.lookup([id!]);

    clock.now += 25 * 60 * 60 * 1000;
    const result = await sut.lookup([id!]);

    assert.equal(result.found.get(id!)?.title, 'back');
    assert.equal(sut.pausedUntil, null);
    assert.ok(captured.lines.some((l) => /answers again/.test(l.msg)));
  });

  it('waits for a quota reset until just after midnight Pacific time, in winter and in summer', () => {
    const minute = 60_000;
    assert.equal(msUntilPacificMidnight(Date.parse('2020-12-09T07:59:00Z')), 2 * minute); // 23:59 PST
    assert.equal(msUntilPacificMidnight(Date.parse('2020-07-09T06:59:00Z')), 2 * minute); // 23:59 PDT
  });
});
