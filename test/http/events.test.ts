// GET /api/v2/events over real HTTP: the collector's changes as Server-Sent Events, resumes, resets, a second
// instance on the same store, tickets, the per-user cap, filters, bad input and shutdown.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import pino from 'pino';
import { createCollector } from '../../src/collector/collect.js';
import type { NewChange } from '../../src/store/types.js';
import { FakeYouTube } from '../support/fake-youtube.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-http-server.js';
import { type CardSpec, schedulePage } from '../support/schedule-fixtures.js';
import { SseClient } from '../support/sse-client.js';
import { nowSeconds, startTestServer, type TestServer } from '../support/test-server.js';
import { assertProblem } from '../support/v2.js';

/** Short intervals, so a test waits for changes in tens of milliseconds, never seconds. */
const FAST = { HOLODULE_EVENTS_POLL_MS: '50' };

async function serverWithUser(
  t: TestContext,
  env: Record<string, string> = {},
): Promise<{ sut: TestServer; token: string; auth: Record<string, string> }> {
  const sut = await startTestServer({ ...FAST, ...env });
  t.after(() => sut.close());
  await sut.addUser('fan01', 'password01');
  const token = await sut.login('fan01', 'password01');
  return { sut, token, auth: { authorization: `Bearer ${token}` } };
}

async function openEvents(t: TestContext, url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(url, headers);
  t.after(() => client.close());
  return client;
}

const change = (talent: string, n: number): NewChange => ({
  type: 'stream.added',
  talent,
  data: JSON.stringify({ stream: { key: `${talent}_${n}` } }),
});

/** The schedule site and YouTube, played locally, and a collector writing into `sut`'s store. */
async function site(t: TestContext, sut: TestServer) {
  const server: FixtureServer = await startFixtureServer();
  t.after(() => server.close());
  const youtube = new FakeYouTube(server);
  const config = {
    ...sut.config.collector,
    pageUrls: [`${server.url}/`],
    listUrl: undefined,
    youtubeApiKey: youtube.key,
    youtubeApiUrl: youtube.baseUrl,
    retries: 0,
  };
  const collector = createCollector({
    store: sut.store,
    config,
    log: pino({ level: 'silent' }),
    now: () => new Date('2020-12-09T03:00:00Z'),
  });
  const page = (cards: CardSpec[]) => server.on('/', { body: schedulePage([{ date: '12/09', weekday: '水', cards }]) });
  return { youtube, collector, page };
}

describe('GET /api/v2/events', () => {
  it('when a collect adds, moves, ends and drops streams, a client hears each change within 2 s', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const { youtube, collector, page } = await site(t, sut);
    const client = await openEvents(t, `${sut.url}/api/v2/events`, auth);
    assert.equal(client.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(client.response.headers.get('cache-control'), 'no-store');

    const upcoming = (id: string, time: string) => ({
      id,
      title: `title ${id}`,
      liveBroadcastContent: 'upcoming' as const,
      scheduledStartTime: `2020-12-09T${time}:00Z`,
    });
    youtube.add(
      upcoming('aaaaaaaaaa1', '11'),
      upcoming('aaaaaaaaaa2', '12'),
      upcoming('aaaaaaaaaa3', '13'),
      upcoming('aaaaaaaaaa4', '14'),
    );
    page([
      { videoId: 'aaaaaaaaaa1', time: '20:00', name: 'ときのそら' },
      { videoId: 'aaaaaaaaaa2', time: '21:00', name: 'ロボ子さん' },
      { videoId: 'aaaaaaaaaa3', time: '22:00', name: 'さくらみこ' },
      { videoId: 'aaaaaaaaaa4', time: '23:00', name: '星街すいせい' },
    ]);
    await collector.collect();
    const collectedAt = performance.now();
    const added = await client.waitFor((e) => e.event === 'stream.added', 4);
    assert.ok(
      added[3]!.at - collectedAt < 2000,
      `heard ${Math.round(added[3]!.at - collectedAt)} ms after the collect`,
    );
    const first = JSON.parse(added[0]!.data);
    assert.equal(first.stream.video_id, 'aaaaaaaaaa1');
    assert.equal(first.stream.talent.code, 'HL0001');
    assert.equal(first.stream.status, 'upcoming');
    assert.equal(first.stream.title, 'title aaaaaaaaaa1');

    // 1 moves to 20:30; 2 goes live; 3 vanishes from the page; 4 has ended.
    youtube.add(
      { ...upcoming('aaaaaaaaaa1', '11'), scheduledStartTime: '2020-12-09T11:30:00Z' },
      { ...upcoming('aaaaaaaaaa2', '12'), liveBroadcastContent: 'live', actualStartTime: '2020-12-09T12:01:00Z' },
      {
        ...upcoming('aaaaaaaaaa4', '14'),
        liveBroadcastContent: 'none',
        actualStartTime: '2020-12-09T14:00:00Z',
        actualEndTime: '2020-12-09T15:00:00Z',
      },
    );
    page([
      { videoId: 'aaaaaaaaaa1', time: '20:30', name: 'ときのそら' },
      { videoId: 'aaaaaaaaaa2', time: '21:00', name: 'ロボ子さん', live: true },
      { videoId: 'aaaaaaaaaa4', time: '23:00', name: '星街すいせい' },
    ]);
    await collector.collect();
    const changes = await client.waitFor((e) => e.event !== 'stream.added', 4);

    const byType = Object.fromEntries(changes.map((e) => [e.event, JSON.parse(e.data)]));
    assert.deepEqual(Object.keys(byType).sort(), ['stream.ended', 'stream.live', 'stream.missing', 'stream.updated']);
    assert.equal(byType['stream.updated'].stream.video_id, 'aaaaaaaaaa1');
    assert.deepEqual(byType['stream.updated'].changed, ['start']);
    assert.equal(byType['stream.updated'].previous.start, '2020-12-09T11:00:00.000Z');
    assert.equal(byType['stream.updated'].stream.start, '2020-12-09T11:30:00Z');
    assert.equal(byType['stream.live'].stream.video_id, 'aaaaaaaaaa2');
    assert.equal(byType['stream.missing'].stream.video_id, 'aaaaaaaaaa3');
    assert.equal(byType['stream.ended'].stream.actual_end, '2020-12-09T15:00:00Z');
    const ids = client.events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'ids grow',
    );
    assert.equal(new Set(ids).size, ids.length, 'no event twice');

    // Nothing changed: nothing is said.
    await collector.collect();
    const another = await sut.store.changes.append([change('HL0001', 9)], Date.now());
    await client.waitFor((e) => e.id === String(another[0]));
    assert.equal(client.events.length, 9);
  });

  it('resumes after Last-Event-ID with every later change exactly once', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const first = await openEvents(t, `${sut.url}/api/v2/events`, auth);
    await sut.store.changes.append([change('HL0001', 1), change('HL0001', 2)], Date.now());
    const heard = await first.waitFor(() => true, 2);
    first.close();
    await sut.store.changes.append([change('HL0001', 3), change('HL0001', 4)], Date.now());

    const resumed = await openEvents(t, `${sut.url}/api/v2/events`, { ...auth, 'last-event-id': heard[0]!.id });
    await sut.store.changes.append([change('HL0001', 5)], Date.now());
    const after = await resumed.waitFor(() => true, 4);
    assert.deepEqual(
      after.map((e) => JSON.parse(e.data).stream.key),
      ['HL0001_2', 'HL0001_3', 'HL0001_4', 'HL0001_5'],
    );

    // The query parameter does the same (for clients that cannot set the header on a reconnect).
    const byQuery = await openEvents(t, `${sut.url}/api/v2/events?last_event_id=${after[2]!.id}`, auth);
    const rest = await byQuery.waitFor(() => true, 1);
    assert.deepEqual(
      rest.map((e) => JSON.parse(e.data).stream.key),
      ['HL0001_5'],
    );
  });

  it('when the resume point is older than the log keeps, says reset, then goes on live', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const [oldest] = await sut.store.changes.append(
      [change('HL0001', 1), change('HL0001', 2), change('HL0001', 3)],
      Date.now(),
    );
    await sut.store.changes.prune(0, 1);

    const client = await openEvents(t, `${sut.url}/api/v2/events`, { ...auth, 'last-event-id': String(oldest) });
    const [reset] = await client.waitFor((e) => e.event === 'reset');
    assert.equal(reset!.id, String(oldest! + 2));
    assert.match(JSON.parse(reset!.data).reason, /fetch the schedule again/);
    const [next] = await sut.store.changes.append([change('HL0001', 4)], Date.now());
    await client.waitFor((e) => e.id === String(next));
    assert.equal(client.of().length, 1, 'nothing from before the reset');

    // An id the log never handed out is no resume point either.
    const stranger = await openEvents(t, `${sut.url}/api/v2/events`, { ...auth, 'last-event-id': '999999' });
    await stranger.waitFor((e) => e.event === 'reset');
  });

  it('a second instance on the same store hears a change collected through the first', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const second = await startTestServer(FAST, { dataDir: sut.dataDir });
    t.after(() => second.close());
    const onSecond = await openEvents(t, `${second.url}/api/v2/events`, auth);
    const onFirst = await openEvents(t, `${sut.url}/api/v2/events`, auth);
    const { youtube, collector, page } = await site(t, sut);
    youtube.add({ id: 'bbbbbbbbbb1', title: 'two instances', liveBroadcastContent: 'upcoming' });
    page([{ videoId: 'bbbbbbbbbb1', time: '20:00', name: 'ときのそら' }]);

    await collector.collect();

    const [heard] = await onSecond.waitFor((e) => e.event === 'stream.added');
    assert.equal(JSON.parse(heard!.data).stream.title, 'two instances');
    const [same] = await onFirst.waitFor((e) => e.event === 'stream.added');
    assert.equal(same!.id, heard!.id, 'one change, one id, on every instance');
  });

  it('hears only the talents and groups asked for', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const byTalent = await openEvents(t, `${sut.url}/api/v2/events?talent=HL0004`, auth);
    const byGroup = await openEvents(t, `${sut.url}/api/v2/events?group=hololive_jp_5`, auth);
    await sut.store.changes.append([change('HL0001', 1), change('HL0004', 2), change('HL0503', 3)], Date.now());
    const [last] = await sut.store.changes.append([change('HL0004', 4), change('HL0503', 5)], Date.now());
    await byTalent.waitFor((e) => e.id === String(last));
    await byGroup.waitFor((e) => JSON.parse(e.data).stream.key === 'HL0503_5');
    assert.deepEqual(
      byTalent.events.map((e) => JSON.parse(e.data).stream.key),
      ['HL0004_2', 'HL0004_4'],
    );
    assert.deepEqual(
      byGroup.events.map((e) => JSON.parse(e.data).stream.key),
      ['HL0503_3', 'HL0503_5'],
    );
  });

  it('sends a ping comment when idle', async (t) => {
    const { sut, auth } = await serverWithUser(t, { HOLODULE_EVENTS_HEARTBEAT_MS: '50' });
    const client = await openEvents(t, `${sut.url}/api/v2/events`, auth);
    const deadline = Date.now() + 10_000;
    while (!client.comments.includes('ping') && Date.now() < deadline)
      await client.waitFor(() => false, 1, 100).catch(() => undefined);
    assert.ok(client.comments.includes('ping'), `comments: ${client.comments.join(', ')}`);
  });

  it('rejects bad parameters with problem details naming them', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const get = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${sut.url}/api/v2/events${query}`, { headers: { ...auth, ...headers } });
    await assertProblem(await get('?talent=NOPE'), 400, 'talent');
    await assertProblem(await get('?group=nogroup'), 400, 'group');
    await assertProblem(await get('?talent='), 400, 'talent');
    await assertProblem(await get('', { 'last-event-id': 'abc' }), 400, 'Last-Event-ID');
    await assertProblem(await get('?last_event_id=-1'), 400, 'last_event_id');
    await assertProblem(await get('?last_event_id=1e3'), 400, 'last_event_id');
  });

  it('refuses a request without credentials', async (t) => {
    const { sut } = await serverWithUser(t);
    await assertProblem(await fetch(`${sut.url}/api/v2/events`), 401);
  });

  it('opens with an API key, and gives a ticket for one', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const made = await fetch(`${sut.url}/me/api-keys`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'events bot' }),
    });
    const { key } = (await made.json()) as { key: string };
    const client = await openEvents(t, `${sut.url}/api/v2/events`, { 'x-api-key': key });
    const res = await fetch(`${sut.url}/api/v2/events/tickets`, { method: 'POST', headers: { 'x-api-key': key } });
    assert.equal(res.status, 201);
    const { url } = (await res.json()) as { url: string };
    const byTicket = await openEvents(t, `${sut.url}${url}`);
    const [seq] = await sut.store.changes.append([change('HL0001', 1)], Date.now());
    await client.waitFor((e) => e.id === String(seq));
    await byTicket.waitFor((e) => e.id === String(seq));
  });

  it('answers HEAD with the headers of a stream, and opens none', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const res = await fetch(`${sut.url}/api/v2/events`, { method: 'HEAD', headers: auth });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(sut.server.app.eventStreams.count, 0);
  });

  it('refuses a stream past the per-user cap with 429, and counts each user alone', async (t) => {
    const { sut, auth } = await serverWithUser(t, { HOLODULE_EVENTS_MAX_PER_USER: '2' });
    await sut.addUser('fan02', 'password02');
    const other = { authorization: `Bearer ${await sut.login('fan02', 'password02')}` };
    await openEvents(t, `${sut.url}/api/v2/events`, auth);
    const second = await openEvents(t, `${sut.url}/api/v2/events`, auth);
    const refused = await fetch(`${sut.url}/api/v2/events`, { headers: auth });
    const body = await assertProblem(refused, 429);
    assert.match(String(body.detail), /At most 2 event streams/);
    await openEvents(t, `${sut.url}/api/v2/events`, other);

    second.close();
    const deadline = Date.now() + 10_000;
    while (sut.server.app.eventStreams.count > 2 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await openEvents(t, `${sut.url}/api/v2/events`, auth);
  });

  it('counts the open streams in the holodule_sse_clients gauge', async (t) => {
    const metricsToken = 'metrics-token-0123456789';
    const { sut, auth } = await serverWithUser(t, { HOLODULE_METRICS_TOKEN: metricsToken });
    const scrape = async () =>
      (await (await fetch(`${sut.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text())
        .split('\n')
        .find((line) => line.startsWith('holodule_sse_clients '));
    await openEvents(t, `${sut.url}/api/v2/events`, auth);
    await openEvents(t, `${sut.url}/api/v2/events`, auth);
    assert.equal(await scrape(), 'holodule_sse_clients 2');
  });

  it('ends every stream when the server shuts down', async (t) => {
    const sut = await startTestServer(FAST);
    await sut.addUser('fan01', 'password01');
    const token = await sut.login('fan01', 'password01');
    const clients = await Promise.all(
      [1, 2, 3].map(() => openEvents(t, `${sut.url}/api/v2/events`, { authorization: `Bearer ${token}` })),
    );
    await sut.close();
    for (const client of clients) await client.waitForEnd();
    assert.equal(sut.server.app.eventStreams.count, 0);
  });
});

describe('POST /api/v2/events/tickets', () => {
  it('gives a ticket that opens one stream, once', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const res = await fetch(`${sut.url}/api/v2/events/tickets`, { method: 'POST', headers: auth });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { ticket: string; expires_in: number; url: string };
    assert.equal(body.expires_in, 60);
    assert.equal(body.url, `/api/v2/events?ticket=${body.ticket}`);

    const client = await openEvents(t, `${sut.url}${body.url}&talent=HL0001`);
    const [seq] = await sut.store.changes.append([change('HL0001', 1)], Date.now());
    await client.waitFor((e) => e.id === String(seq));

    const again = await fetch(`${sut.url}${body.url}`);
    const problem = await assertProblem(again, 401);
    assert.match(String(problem.detail), /already used/);
  });

  it('is refused as an access token, and an access token is refused as a ticket', async (t) => {
    const { sut, auth, token } = await serverWithUser(t);
    const { ticket } = (await (
      await fetch(`${sut.url}/api/v2/events/tickets`, { method: 'POST', headers: auth })
    ).json()) as { ticket: string };

    const asAccess = await fetch(`${sut.url}/api/v2/streams`, { headers: { authorization: `Bearer ${ticket}` } });
    assert.match(String((await assertProblem(asAccess, 401)).detail), /Expected an access token/);
    const ticketForTicket = await fetch(`${sut.url}/api/v2/events/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ticket}` },
    });
    await assertProblem(ticketForTicket, 401);

    const asTicket = await fetch(`${sut.url}/api/v2/events?ticket=${token}`);
    assert.match(String((await assertProblem(asTicket, 401)).detail), /Expected an events ticket/);
  });

  it('refuses an expired ticket, and accepts the same ticket unexpired', async (t) => {
    const { sut } = await serverWithUser(t);
    const user = (await sut.store.users.findByUsername('fan01'))!;
    const ticket = (exp: number, jti: string) =>
      sut.signRaw({ identity: 'fan01', sub: user.uid, jti, type: 'events', ver: 0, iat: exp - 60, nbf: exp - 60, exp });

    const expired = await fetch(`${sut.url}/api/v2/events?ticket=${ticket(nowSeconds() - 1, 'jti-expired')}`);
    assert.match(String((await assertProblem(expired, 401)).detail), /expired/);
    await openEvents(t, `${sut.url}/api/v2/events?ticket=${ticket(nowSeconds() + 60, 'jti-fresh')}`);
  });

  it('keeps the ticket out of the request log', async (t) => {
    const { sut, auth } = await serverWithUser(t);
    const { ticket } = (await (
      await fetch(`${sut.url}/api/v2/events/tickets`, { method: 'POST', headers: auth })
    ).json()) as { ticket: string };
    await openEvents(t, `${sut.url}/api/v2/events?ticket=${ticket}&talent=HL0001`);
    const logged = JSON.stringify(sut.logs);
    assert.ok(!logged.includes(ticket), 'the ticket is not logged');
    assert.ok(logged.includes('/api/v2/events?ticket=[redacted]&talent=HL0001'), 'the request is logged');
  });

  it('refuses a request without credentials', async (t) => {
    const { sut } = await serverWithUser(t);
    await assertProblem(await fetch(`${sut.url}/api/v2/events/tickets`, { method: 'POST' }), 401);
  });
});
