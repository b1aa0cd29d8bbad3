// Calendar feeds over real HTTP: made and revoked like keys, fetched with no header, and parsed by a real
// iCalendar parser (ical.js): every field, folding of long Japanese titles, and a real collect that moves, ends
// and drops streams.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { newSecret } from '../../src/auth/personal-secrets.js';
import { FakeYouTube } from '../support/fake-youtube.js';
import { startFixtureServer } from '../support/fixture-http-server.js';
import { schedulePage } from '../support/schedule-fixtures.js';
import { call, startTestApp, type TestServer, fetch } from '../support/test-server.js';
import { streamAt } from '../support/v2.js';

type Context = { after: (fn: () => Promise<void>) => void };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function serverWithUser(t: Context, env: Record<string, string> = {}) {
  const sut = await startTestApp(env);
  t.after(() => sut.close());
  await sut.addUser('user01', 'password01');
  await sut.addUser('admin01', 'password01', { role: 'admin' });
  return sut;
}

interface NewFeed {
  id: string;
  name: string;
  url: string;
  webcal_url: string;
  talent: string[] | null;
  group: string[] | null;
  status: string[] | null;
}

async function makeFeed(sut: TestServer, token: string, body: unknown = {}): Promise<NewFeed> {
  const res = await call(`${sut.url}/me/feeds`, 'POST', { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as NewFeed;
}

/** The events of a calendar as ical.js reads them, by UID. */
async function parsedFeed(url: string) {
  const res = await fetch(url);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = new Map(
    calendar.getAllSubcomponents('vevent').map((v) => [String(v.getFirstPropertyValue('uid')), v] as const),
  );
  return { res, text, calendar, events };
}

const timeOf = (event: ICAL.Component, property: string): string =>
  (event.getFirstPropertyValue(property) as ICAL.Time).toJSDate().toISOString();

describe('calendar feeds', () => {
  it('makes a feed whose secret URL is shown once and works with no header', async (t) => {
    const sut = await serverWithUser(t);
    const token = await sut.login('user01', 'password01');

    const feed = await makeFeed(sut, token, { name: 'Everything' });
    const res = await fetch(feed.url);
    const listed = await call(`${sut.url}/me/feeds`, 'GET', { token });

    assert.match(feed.url, new RegExp(`^${sut.url}/feeds/hdf_[0-9A-Za-z]{43}\\.ics$`));
    assert.equal(feed.webcal_url, feed.url.replace(/^http:/, 'webcal:'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
    assert.match(res.headers.get('cache-control') ?? '', /^private\b/);
    assert.deepEqual(
      listed.body.map((f: Record<string, unknown>) => Object.keys(f).sort()),
      [['created_at', 'group', 'id', 'last_used_at', 'name', 'status', 'talent']],
    );
    assert.ok(!JSON.stringify(listed.body).includes(feed.url.split('/').at(-1)!.slice(0, -4)));
  });

  it('answers an unchanged feed 304 to its ETag', async (t) => {
    const sut = await serverWithUser(t);
    const feed = await makeFeed(sut, await sut.login('user01', 'password01'));
    await sut.store.streams.upsertMany([streamAt(Date.now() + HOUR, 'HL0004', { live_status: 'upcoming' })]);

    const first = await fetch(feed.url);
    await first.text();
    const again = await fetch(feed.url, { headers: { 'if-none-match': first.headers.get('etag')! } });

    assert.match(first.headers.get('etag') ?? '', /^"[^"]+"$/);
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
  });

  it('writes every field: UID, UTC times, DTEND from the actual end, SUMMARY, URL, DESCRIPTION, LAST-MODIFIED, SEQUENCE, STATUS', async (t) => {
    const sut = await serverWithUser(t, { HOLODULE_CALENDAR_DEFAULT_MINUTES: '90' });
    const now = Date.now();
    const upcomingStart = Math.floor((now + DAY) / 1000) * 1000;
    const endedStart = Math.floor((now - DAY) / 1000) * 1000;
    const upcoming = streamAt(
      upcomingStart,
      'HL0004',
      { live_status: 'upcoming', last_updated: '2026-01-02T03:04:05.000Z', moves: 2 },
      {
        title: '歌枠',
        description: 'みんな来てね',
        video_id: 'upcoming001',
        url: 'https://www.youtube.com/watch?v=upcoming001',
      },
    );
    const ended = streamAt(
      endedStart,
      'HL0301',
      {
        live_status: 'completed',
        youtube: {
          status: 'ok',
          actual_start: new Date(endedStart).toISOString(),
          actual_end: new Date(endedStart + 3 * HOUR).toISOString(),
        },
      },
      { video_id: 'ended000001', url: 'https://www.youtube.com/watch?v=ended000001' },
    );
    const missing = streamAt(
      now + 2 * DAY,
      'HL0305',
      { live_status: 'upcoming', disappeared_at: new Date(now).toISOString() },
      { video_id: 'missing0001' },
    );
    const tooOld = streamAt(now - 8 * DAY, 'HL0004', {}, { video_id: 'tooold00001' });
    const tooFar = streamAt(now + 15 * DAY, 'HL0004', {}, { video_id: 'toofar00001' });
    await sut.store.streams.upsertMany([upcoming, ended, missing, tooOld, tooFar]);
    const feed = await makeFeed(sut, await sut.login('user01', 'password01'), { name: 'Mine' });

    const { text, calendar, events } = await parsedFeed(feed.url);

    assert.ok(!/[^\r]\n/.test(text) && text.endsWith('END:VCALENDAR\r\n'), 'CRLF line ends, the last line too');
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'holodule: Mine');
    assert.equal(String(calendar.getFirstPropertyValue('refresh-interval')), 'PT15M');
    assert.equal(calendar.getFirstPropertyValue('x-published-ttl'), 'PT15M');
    assert.deepEqual([...events.keys()].sort(), [
      'ended000001@holodule',
      'missing0001@holodule',
      'upcoming001@holodule',
    ]);

    const next = events.get('upcoming001@holodule')!;
    assert.equal(timeOf(next, 'dtstart'), new Date(upcomingStart).toISOString());
    assert.equal(timeOf(next, 'dtend'), new Date(upcomingStart + 90 * 60 * 1000).toISOString());
    assert.match(text, /DTSTART:\d{8}T\d{6}Z\r\n/);
    assert.equal(next.getFirstPropertyValue('summary'), '星街すいせい: 歌枠');
    assert.equal(next.getFirstPropertyValue('url'), 'https://www.youtube.com/watch?v=upcoming001');
    assert.equal(
      next.getFirstPropertyValue('description'),
      'みんな来てね\n\nhttps://www.youtube.com/watch?v=upcoming001',
    );
    assert.equal(timeOf(next, 'last-modified'), '2026-01-02T03:04:05.000Z');
    assert.equal(next.getFirstPropertyValue('sequence'), 2);
    assert.equal(next.getFirstPropertyValue('status'), 'CONFIRMED');

    const done = events.get('ended000001@holodule')!;
    assert.equal(timeOf(done, 'dtend'), new Date(endedStart + 3 * HOUR).toISOString());
    assert.equal(done.getFirstPropertyValue('summary'), `兎田ぺこら: ${ended.title}`);
    assert.equal(done.getFirstPropertyValue('sequence'), 0);
    assert.equal(events.get('missing0001@holodule')!.getFirstPropertyValue('status'), 'CANCELLED');
  });

  it('folds long Japanese titles at 75 octets without ever splitting a character', async (t) => {
    const sut = await serverWithUser(t);
    const title = `【歌枠】${'ホロライブ🎉すいちゃんは今日もかわいい！'.repeat(8)}`;
    await sut.store.streams.upsertMany([
      streamAt(Date.now() + HOUR, 'HL0004', { live_status: 'upcoming' }, { title, video_id: 'longtitle01' }),
    ]);
    const feed = await makeFeed(sut, await sut.login('user01', 'password01'));

    const raw = Buffer.from(await (await fetch(feed.url)).arrayBuffer());
    const lines: Buffer[] = [];
    for (let start = 0; start < raw.length; ) {
      const end = raw.indexOf('\r\n', start);
      assert.notEqual(end, -1, 'every line ends with CRLF');
      lines.push(raw.subarray(start, end));
      start = end + 2;
    }
    const strict = new TextDecoder('utf-8', { fatal: true });

    assert.ok(lines.filter((l) => l[0] === 0x20).length >= 5, 'the summary is folded');
    for (const line of lines) {
      assert.ok(line.length <= 75, `${line.length} octets: ${line.toString()}`);
      assert.doesNotThrow(() => strict.decode(line), 'a line holds whole UTF-8 characters');
    }
    const { events } = await parsedFeed(feed.url);
    assert.equal(events.get('longtitle01@holodule')!.getFirstPropertyValue('summary'), `星街すいせい: ${title}`);
  });

  it('filters by talent, group and status, given as arrays or comma-separated', async (t) => {
    const sut = await serverWithUser(t);
    const soon = Date.now() + HOUR;
    await sut.store.streams.upsertMany([
      streamAt(soon, 'HL0004', { live_status: 'upcoming' }, { video_id: 'suisei00001' }),
      streamAt(soon, 'HL0301', { live_status: 'upcoming' }, { video_id: 'pekora00001' }),
      streamAt(soon - 2 * HOUR, 'HL0305', { live_status: 'live' }, { video_id: 'marine00001' }),
    ]);
    const token = await sut.login('user01', 'password01');

    const byTalent = await makeFeed(sut, token, { talent: 'hl0004, HL0301' });
    const byGroup = await makeFeed(sut, token, { group: ['hololive_jp_3'], status: ['live'] });
    const uids = async (feed: NewFeed) => [...(await parsedFeed(feed.url)).events.keys()].sort();

    assert.deepEqual(byTalent.talent, ['HL0004', 'HL0301']);
    assert.equal(byTalent.name, '星街すいせい, 兎田ぺこら');
    assert.deepEqual(await uids(byTalent), ['pekora00001@holodule', 'suisei00001@holodule']);
    assert.deepEqual([byGroup.group, byGroup.status], [['hololive_jp_3'], ['live']]);
    assert.deepEqual(await uids(byGroup), ['marine00001@holodule']);
  });

  it('rejects bad filters and names with 400 naming the field', async (t) => {
    const sut = await serverWithUser(t);
    const token = await sut.login('user01', 'password01');
    const bodies = [
      { talent: 'HL9999' },
      { talent: '' },
      { talent: [] },
      { talent: [1] },
      { group: 'no-such-group' },
      { status: 'cancelled' },
      { name: '' },
      { name: 'x'.repeat(101) },
      { colour: 'red' },
      { talent: Array.from({ length: 51 }, (_, i) => `HL${i}`) },
    ];

    for (const body of bodies) {
      const res = await call(`${sut.url}/me/feeds`, 'POST', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(typeof res.body.description, 'string');
    }
    assert.deepEqual((await call(`${sut.url}/me/feeds`, 'GET', { token })).body, []);
  });

  it('answers 404 for a revoked, unknown or malformed feed, and for a feed of a disabled or deleted user', async (t) => {
    const sut = await serverWithUser(t);
    await sut.addUser('user02', 'password02');
    const admin = await sut.login('admin01', 'password01');
    const token = await sut.login('user01', 'password01');
    const revoked = await makeFeed(sut, token);
    const kept = await makeFeed(sut, token);
    const ofDisabled = await makeFeed(sut, token);
    const ofDeleted = await makeFeed(sut, await sut.login('user02', 'password02'));

    assert.equal((await call(`${sut.url}/me/feeds/${revoked.id}`, 'DELETE', { token })).status, 204);
    const afterRevoke = await fetch(revoked.url);
    assert.equal((await fetch(kept.url)).status, 200);
    await call(`${sut.url}/users/user01`, 'PATCH', { token: admin, body: { disabled: true } });
    const disabled = await fetch(ofDisabled.url);
    await call(`${sut.url}/users/user01`, 'PATCH', { token: admin, body: { disabled: false } });
    await call(`${sut.url}/users/user02`, 'DELETE', { token: admin });

    assert.equal(afterRevoke.status, 404);
    assert.deepEqual(await afterRevoke.json(), { error: 'Not found' });
    assert.equal(disabled.status, 404);
    assert.equal((await fetch(ofDisabled.url)).status, 200, 'enabled again, the feed serves again');
    assert.equal((await fetch(ofDeleted.url)).status, 404);
    for (const path of [
      `${newSecret('feed')}.ics`,
      'hdf_short.ics',
      newSecret('feed'),
      `${newSecret('api-key')}.ics`,
    ]) {
      assert.equal((await fetch(`${sut.url}/feeds/${path}`)).status, 404, path);
    }
  });

  it("lets an admin list and revoke anyone's feeds; others get 403; another user's feed id is 404 to you", async (t) => {
    const sut = await serverWithUser(t);
    await sut.addUser('user02', 'password02');
    const admin = await sut.login('admin01', 'password01');
    const token = await sut.login('user01', 'password01');
    const feed = await makeFeed(sut, token, { name: 'theirs' });

    const listed = await call(`${sut.url}/users/user01/feeds`, 'GET', { token: admin });
    const notAdmin = await call(`${sut.url}/users/user01/feeds`, 'GET', { token });
    const notYours = await call(`${sut.url}/me/feeds/${feed.id}`, 'DELETE', {
      token: await sut.login('user02', 'password02'),
    });
    const unknownUser = await call(`${sut.url}/users/nobody/feeds`, 'GET', { token: admin });
    const revoked = await call(`${sut.url}/users/user01/feeds/${feed.id}`, 'DELETE', { token: admin });

    assert.deepEqual(
      listed.body.map((f: NewFeed) => [f.id, f.name]),
      [[feed.id, 'theirs']],
    );
    assert.equal(notAdmin.status, 403);
    assert.equal(notYours.status, 404);
    assert.equal(unknownUser.status, 404);
    assert.equal(revoked.status, 204);
    assert.equal((await fetch(feed.url)).status, 404);
  });

  it('never writes a feed token into the log', async (t) => {
    const sut = await serverWithUser(t);
    const feed = await makeFeed(sut, await sut.login('user01', 'password01'));
    const token = feed.url.split('/').at(-1)!.slice(0, -'.ics'.length);

    await fetch(feed.url);
    await fetch(`${feed.url}x`);

    assert.ok(sut.logs.some((l) => JSON.stringify(l).includes('/feeds/[redacted].ics')));
    assert.ok(!JSON.stringify(sut.logs).includes(token.slice(4)), 'no log line holds the token');
  });

  it('after a real collect that moves, ends and drops streams: same UID with a higher SEQUENCE, DTEND the actual end, CANCELLED', async (t) => {
    const site = await startFixtureServer();
    t.after(() => site.close());
    const youtube = new FakeYouTube(site);
    const sut = await serverWithUser(t, {
      HOLODULE_COLLECT_INTERVAL: '1h',
      HOLODULE_URL: `${site.url}/`,
      HOLODULE_LIST_URL: 'off',
      HOLODULE_COLLECT_RETRIES: '0',
      YOUTUBE_API_KEY: youtube.key,
      HOLODULE_YOUTUBE_API_URL: youtube.baseUrl,
    });
    // Today in Japan time, as the page shows it; each card's time is Japan time on that day.
    const today = new Date(Date.now() + 9 * HOUR).toISOString().slice(0, 10);
    const at = (hhmm: string) => new Date(`${today}T${hhmm}:00+09:00`).toISOString().replace('.000', '');
    const date = `${today.slice(5, 7)}/${today.slice(8, 10)}`;
    const page = (cards: Array<{ videoId: string; time: string; name: string; live?: boolean }>) =>
      schedulePage([{ date, weekday: '水', cards }]);
    const upcoming = (id: string, title: string, time: string) => ({
      id,
      title,
      liveBroadcastContent: 'upcoming' as const,
      scheduledStartTime: at(time),
    });
    site.on('/', {
      body: page([
        { videoId: 'anchor00001', time: '10:00', name: '尾丸ポルカ' },
        { videoId: 'moving00001', time: '12:00', name: '星街すいせい' },
        { videoId: 'dropped0001', time: '14:00', name: '宝鐘マリン' },
        { videoId: 'ending00001', time: '16:00', name: '兎田ぺこら', live: true },
      ]),
    });
    youtube.add(
      upcoming('anchor00001', 'anchor', '10:00'),
      upcoming('moving00001', '歌枠', '12:00'),
      upcoming('dropped0001', '雑談', '14:00'),
      {
        id: 'ending00001',
        title: 'ゲーム',
        liveBroadcastContent: 'live',
        scheduledStartTime: at('16:00'),
        actualStartTime: at('16:00'),
      },
    );
    assert.equal((await sut.server.collector.runNow()).ran, true);
    const feed = await makeFeed(sut, await sut.login('user01', 'password01'));
    const before = (await parsedFeed(feed.url)).events;

    site.on('/', {
      body: page([
        { videoId: 'anchor00001', time: '10:00', name: '尾丸ポルカ' },
        { videoId: 'ending00001', time: '16:00', name: '兎田ぺこら' },
        { videoId: 'moving00001', time: '18:00', name: '星街すいせい' },
      ]),
    });
    youtube.add(upcoming('moving00001', '歌枠', '18:00'), {
      id: 'ending00001',
      title: 'ゲーム',
      liveBroadcastContent: 'none',
      scheduledStartTime: at('16:00'),
      actualStartTime: at('16:00'),
      actualEndTime: at('17:45'),
    });
    assert.equal((await sut.server.collector.runNow()).ran, true);
    const after = (await parsedFeed(feed.url)).events;

    const [movedBefore, movedAfter] = [before.get('moving00001@holodule')!, after.get('moving00001@holodule')!];
    assert.equal(timeOf(movedBefore, 'dtstart'), new Date(at('12:00')).toISOString());
    assert.equal(timeOf(movedAfter, 'dtstart'), new Date(at('18:00')).toISOString());
    assert.equal(movedBefore.getFirstPropertyValue('sequence'), 0);
    assert.equal(movedAfter.getFirstPropertyValue('sequence'), 1);
    const [endingBefore, endingAfter] = [before.get('ending00001@holodule')!, after.get('ending00001@holodule')!];
    assert.equal(timeOf(endingBefore, 'dtend'), new Date(Date.parse(at('16:00')) + 120 * 60 * 1000).toISOString());
    assert.equal(timeOf(endingAfter, 'dtend'), new Date(at('17:45')).toISOString());
    const [droppedBefore, droppedAfter] = [before.get('dropped0001@holodule')!, after.get('dropped0001@holodule')!];
    assert.equal(droppedBefore.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(droppedAfter.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(after.size, 4);
  });
});
