import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getWithToken, startTestApp, type TestServer, fetch } from '../support/test-server.js';
import { assertProblem, streamAt } from '../support/v2.js';

describe('GET /api/v2/streams', () => {
  let sut: TestServer;
  let token: string;

  const avatarB = 'https://yt3.ggpht.com/botan=s88';
  const streams = {
    sora: streamAt(
      '2020-12-09T11:00:00Z',
      'HL0001',
      {
        live_status: 'completed',
        youtube: { status: 'ok', actual_start: '2020-12-09T11:02:03Z', actual_end: '2020-12-09T12:30:00Z' },
        last_updated: '2020-12-09T12:45:00.000Z',
      },
      { name: 'ときのそら', title: '歌枠 ＡＰＥＸ', video_id: 'soraSora001' },
    ),
    polka: streamAt(
      '2020-12-09T14:00:00Z',
      'HL0503',
      {
        live_status: 'upcoming',
        thumbnail: 'https://img.youtube.com/vi/yEttl2nfhsQ/mqdefault.jpg',
        collaborators: [
          { code: 'HL0501', name: '獅白ぼたん', avatar: avatarB },
          { code: null, name: null, avatar: 'https://yt3.ggpht.com/someone=s88' },
        ],
        first_seen: '2020-12-08T00:00:00.000Z',
      },
      {
        video_id: 'yEttl2nfhsQ',
        url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
        title: 'アカペラで歌う',
        description: 'desc',
      },
    ),
    laplus: streamAt(
      '2020-12-10T12:00:00Z',
      'HL0601',
      { live_status: 'live' },
      { name: 'ラプラス', title: 'ﾏｲﾝｸﾗﾌﾄ 建築' },
    ),
    lui: streamAt(
      '2020-12-11T11:00:00Z',
      'HL0602',
      { live_status: 'upcoming', disappeared_at: '2020-12-11T00:00:00Z' },
      { name: '鷹嶺ルイ', title: 'Minecraft' },
    ),
    pekora: streamAt(
      '2020-12-12T11:00:00Z',
      'HL0301',
      { live_status: 'upcoming' },
      { name: '兎田ぺこら', title: 'マイクラ' },
    ),
    mio: streamAt('2020-12-08T03:00:00Z', 'HL0G02', {}, { name: '大神ミオ', title: '朝' }),
  };

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    const { mio, ...rest } = streams;
    await sut.store.streams.upsertMany(Object.values(rest));
    // The original's document: no fields of ours at all.
    await sut.store.streams.upsertMany([{ ...mio, extra: undefined }]);
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string) => getWithToken(`${sut.url}${path}`, token);
  const videoIds = async (query: string): Promise<string[]> => {
    const res = await get(`/api/v2/streams?${query}`);
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return (JSON.parse(text) as { items: Array<{ video_id: string }> }).items.map((s) => s.video_id);
  };
  const ids = (...names: Array<keyof typeof streams>) => names.map((n) => streams[n].video_id);
  const december = 'from=2020-12-01&to=2020-12-31';

  it('when a stream is asked by video id, then every field of the v2 resource, names from the directory', async () => {
    const res = await get('/api/v2/streams/yEttl2nfhsQ');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await res.json(), {
      video_id: 'yEttl2nfhsQ',
      key: 'HL0503_20201209_230000',
      start: '2020-12-09T14:00:00Z',
      datetime: '20201209 230000',
      talent: { code: 'HL0503', name: '尾丸ポルカ', group: 'hololive_jp_5' },
      collaborators: [
        { code: 'HL0501', name: '獅白ぼたん', avatar: avatarB },
        { code: null, name: null, avatar: 'https://yt3.ggpht.com/someone=s88' },
      ],
      title: 'アカペラで歌う',
      description: 'desc',
      url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
      thumbnail: 'https://img.youtube.com/vi/yEttl2nfhsQ/mqdefault.jpg',
      status: 'upcoming',
      actual_start: null,
      actual_end: null,
      updated_at: '2020-12-08T00:00:00Z',
    });
  });

  it("reads YouTube's times, and gives the original's documents a start, a status and a thumbnail", async () => {
    const sora = (await (await get(`/api/v2/streams/${streams.sora.video_id}`)).json()) as Record<string, unknown>;
    const mio = (await (await get(`/api/v2/streams/${streams.mio.video_id}`)).json()) as Record<string, unknown>;
    assert.deepEqual(
      [sora.status, sora.actual_start, sora.actual_end, sora.updated_at],
      ['ended', '2020-12-09T11:02:03Z', '2020-12-09T12:30:00Z', '2020-12-09T12:45:00Z'],
    );
    assert.deepEqual(
      [mio.start, mio.status, mio.thumbnail, mio.collaborators],
      ['2020-12-08T03:00:00Z', 'ended', `https://img.youtube.com/vi/${streams.mio.video_id}/mqdefault.jpg`, []],
    );
  });

  it('when the video id is unknown, then 404 problem; when it is not a video id, then 400 naming video_id', async () => {
    await assertProblem(await get('/api/v2/streams/nosuchvideo'), 404);
    await assertProblem(await get('/api/v2/streams/short'), 400, 'video_id');
    const accented = await assertProblem(await get('/api/v2/streams/%C3%95%C3%A7'), 400, 'video_id');
    assert.match(String(accented.detail), /^video_id must be an 11-character YouTube video id/);
  });

  it('finds the streams of a window of Japan-time days, in start order', async () => {
    assert.deepEqual(await videoIds('from=2020-12-09&to=2020-12-10'), ids('sora', 'polka', 'laplus'));
    assert.deepEqual(await videoIds('from=2020-12-09&to=2020-12-09'), ids('sora', 'polka'));
  });

  it('takes RFC 3339 times with any zone: from inclusive, to exclusive', async () => {
    assert.deepEqual(await videoIds('from=2020-12-09T23:00:00%2B09:00&to=2020-12-10T12:00:00Z'), ids('polka'));
    assert.deepEqual(await videoIds('from=2020-12-09T14:00:00.001Z&to=2020-12-10T12:00:00.001Z'), ids('laplus'));
  });

  it('filters by talent codes, in any case', async () => {
    assert.deepEqual(await videoIds(`${december}&talent=HL0503`), ids('polka'));
    assert.deepEqual(await videoIds(`${december}&talent=hl0503,HL0001`), ids('sora', 'polka'));
  });

  it('filters by group, and by group and talent together (both must hold)', async () => {
    assert.deepEqual(await videoIds(`${december}&group=holox`), ids('laplus', 'lui'));
    assert.deepEqual(await videoIds(`${december}&group=holox,hololive_jp_3`), ids('laplus', 'lui', 'pekora'));
    assert.deepEqual(await videoIds(`${december}&group=holox&talent=HL0602,HL0301`), ids('lui'));
  });

  it('filters by status', async () => {
    assert.deepEqual(await videoIds(`${december}&status=live`), ids('laplus'));
    assert.deepEqual(await videoIds(`${december}&status=upcoming,missing`), ids('polka', 'lui', 'pekora'));
    assert.deepEqual(await videoIds(`${december}&status=ended`), ids('mio', 'sora'));
  });

  it('finds text in titles, talent names (Japanese or English) and collaborator names, whatever the width or case', async () => {
    assert.deepEqual(await videoIds(`${december}&q=${encodeURIComponent('ａｐｅｘ')}`), ids('sora'));
    assert.deepEqual(await videoIds(`${december}&q=${encodeURIComponent('マインクラフト')}`), ids('laplus'));
    assert.deepEqual(await videoIds(`${december}&q=MINECRAFT`), ids('lui'));
    assert.deepEqual(await videoIds(`${december}&q=${encodeURIComponent('獅白')}`), ids('polka'));
    assert.deepEqual(await videoIds(`${december}&q=${encodeURIComponent('ぺこら')}`), ids('pekora'));
    assert.deepEqual(await videoIds(`${december}&q=omaru`), ids('polka'));
  });

  it('combines filters', async () => {
    assert.deepEqual(await videoIds(`${december}&group=holox&q=minecraft`), ids('lui'));
    assert.deepEqual(
      await videoIds(`${december}&group=holox&status=live&q=${encodeURIComponent('建築')}`),
      ids('laplus'),
    );
    assert.deepEqual(await videoIds(`${december}&talent=HL0301&status=live`), []);
  });

  it('orders by start, newest first with order=desc', async () => {
    assert.deepEqual(await videoIds(`${december}&order=desc`), ids('pekora', 'lui', 'laplus', 'polka', 'sora', 'mio'));
  });

  it('pages with next_cursor and a Link rel="next" header, each stream once, until next_cursor is null', async () => {
    const seen: string[] = [];
    let path = `/api/v2/streams?${december}&order=desc&limit=4`;
    const links: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(path);
      const body = (await res.json()) as { items: Array<{ video_id: string }>; next_cursor: string | null };
      seen.push(...body.items.map((s) => s.video_id));
      const link = res.headers.get('link');
      if (body.next_cursor === null) {
        assert.equal(link, null);
        break;
      }
      const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
      assert.ok(match, `Link header: ${link}`);
      links.push(match[1]!);
      assert.equal(new URL(match[1]!, sut.url).searchParams.get('cursor'), body.next_cursor);
      path = match[1]!;
    }
    assert.deepEqual(seen, ids('pekora', 'lui', 'laplus', 'polka', 'sora', 'mio'));
    assert.equal(links.length, 1);
    assert.match(links[0]!, /^\/api\/v2\/streams\?from=2020-12-01&to=2020-12-31&order=desc&limit=4&cursor=/);
  });

  it('when from and to are absent, then the window is the last 24 hours to the next 7 days', async () => {
    const now = Date.now();
    const soon = streamAt(now + 60 * 60 * 1000, 'HL0004', { live_status: 'upcoming' }, { video_id: 'windowSoon1' });
    const old = streamAt(now - 2 * 24 * 60 * 60 * 1000, 'HL0004', {}, { video_id: 'windowOld01' });
    const far = streamAt(now + 8 * 24 * 60 * 60 * 1000, 'HL0004', {}, { video_id: 'windowFar01' });
    await sut.store.streams.upsertMany([soon, old, far]);
    assert.deepEqual(await videoIds('talent=HL0004'), ['windowSoon1']);
  });

  it('answers a query asked again after the data changed with the change, however often it was asked before', async () => {
    const stream = streamAt(
      '2021-05-01T10:00:00Z',
      'HL0005',
      { live_status: 'upcoming' },
      { title: 'before', video_id: 'cacheCheck1' },
    );
    await sut.store.streams.upsertMany([stream]);
    const titles = async () =>
      (
        (await (await get('/api/v2/streams?from=2021-05-01&to=2021-05-01')).json()) as {
          items: Array<{ title: string }>;
        }
      ).items.map((s) => s.title);
    for (let i = 0; i < 3; i++) assert.deepEqual(await titles(), ['before']);

    await sut.store.streams.upsertMany([{ ...stream, title: 'after' }]);

    assert.deepEqual(await titles(), ['after']);
  });

  it('when a client walks the pages while streams are added, then it gets every stream that was there exactly once', async () => {
    const start = Date.parse('2021-03-01T00:00:00Z');
    const minute = 60 * 1000;
    const original = Array.from({ length: 30 }, (_, i) =>
      streamAt(start + i * 10 * minute, 'HL0104', {}, { video_id: `walk${String(i).padStart(7, '0')}` }),
    );
    await sut.store.streams.upsertMany(original);
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const query = `from=2021-03-01&to=2021-03-02&talent=HL0104&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await (await get(`/api/v2/streams?${query}`)).json()) as {
        items: Array<{ video_id: string }>;
        next_cursor: string | null;
      };
      seen.push(...body.items.map((s) => s.video_id));
      cursor = body.next_cursor;
      // Between pages: one stream before the page just read, one at the same minute as its last, one far ahead.
      const at = start + seen.length * 10 * minute;
      await sut.store.streams.upsertMany([
        streamAt(
          start + 5 * minute,
          'HL0104',
          {},
          { key: `HL0104_early${added}`, video_id: `addE${String(added).padStart(7, '0')}` },
        ),
        streamAt(at, 'HL0104', {}, { key: `HL0104_same${added}`, video_id: `addS${String(added).padStart(7, '0')}` }),
        streamAt(
          at + 200 * minute,
          'HL0104',
          {},
          { key: `HL0104_late${added}`, video_id: `addL${String(added).padStart(7, '0')}` },
        ),
      ]);
      added++;
    } while (cursor !== null && added < 50);

    assert.equal(new Set(seen).size, seen.length, 'no stream twice');
    for (const s of original) assert.ok(seen.includes(s.video_id), `${s.video_id} seen`);
  });

  const badQueries: Array<[string, string]> = [
    ['from=2020-13-01', 'from'],
    ['from=2020-02-30', 'from'],
    ['from=yesterday', 'from'],
    ['from=2020-12-09T10:00:00', 'from'],
    ['to=2020-12-09T25:00:00Z', 'to'],
    ['from=2020-12-10&to=2020-12-09', 'from'],
    ['status=bogus', 'status'],
    ['status=,', 'status'],
    ['from=2020-12-09T10:00:00Z&to=2020-12-09T10:00:00Z', 'from'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=-1', 'limit'],
    ['order=up', 'order'],
    ['talent=NOPE00', 'talent'],
    ['group=nope', 'group'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['cursor=forged', 'cursor'],
    ['cursor=eyJhIjoxfQ.AAAAAAAAAAAAAAAAAAAAAA', 'cursor'],
    ['talent=HL0503,%20HL0301', 'talent'],
    ['talent=HL0503,,HL0301', 'talent'],
    ['talent=%C3%95%C3%A7', 'talent'],
    ['group=holox,', 'group'],
    ['status=live%2C', 'status'],
    ['limit=020', 'limit'],
    ['limit=', 'limit'],
    ['from=', 'from'],
    ['to=2020-12-09T12:00:00%2B24:00', 'to'],
  ];
  for (const [query, parameter] of badQueries) {
    it(`when asked with ${query.slice(0, 40)}, then 400 problem naming ${parameter}`, async () => {
      const body = await assertProblem(await get(`/api/v2/streams?${query}`), 400, parameter);
      assert.equal(body.type, 'tag:holodule,2026:problem/invalid-parameter');
      // The domain's words, also where the OpenAPI schema refuses first (not ajv's "must match pattern").
      assert.match(String(body.detail), new RegExp(`^(?:${parameter}|from \\()`), String(body.detail));
    });
  }

  it('when a cursor is edited, or used with other parameters (stale), then 400 naming cursor', async () => {
    const first = (await (await get(`/api/v2/streams?${december}&limit=2`)).json()) as { next_cursor: string };
    const cursor = first.next_cursor;
    const [payload, mac] = cursor.split('.') as [string, string];
    const edited = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}.${mac}`;
    await assertProblem(await get(`/api/v2/streams?${december}&limit=2&cursor=${edited}`), 400, 'cursor');
    const stale = await assertProblem(
      await get(`/api/v2/streams?${december}&status=live&cursor=${cursor}`),
      400,
      'cursor',
    );
    assert.match(String(stale.detail), /other parameters/);
    // The page size may change between pages: it is not part of the query.
    assert.equal((await get(`/api/v2/streams?${december}&limit=3&cursor=${cursor}`)).status, 200);
  });

  it('when there is no token, then 401 as a problem, with the same WWW-Authenticate as v1', async () => {
    const res = await fetch(`${sut.url}/api/v2/streams`);
    const body = await assertProblem(res, 401);
    assert.equal(res.headers.get('www-authenticate'), 'JWT realm="Login Required"');
    assert.equal(body.detail, 'Authorization Required: Request does not contain an access token');
  });

  it('when a v2 route does not exist, then 404 problem; v1 keeps its own body', async () => {
    await assertProblem(await get('/api/v2/nothing'), 404);
    const v1 = await get('/nothing');
    assert.equal(v1.status, 404);
    assert.deepEqual(await v1.json(), { error: 'Not found' });
  });
});

describe('GET /api/v2/live', () => {
  let sut: TestServer;
  let token: string;
  const hour = 60 * 60 * 1000;

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    const now = Date.now();
    await sut.store.streams.upsertMany([
      streamAt(now - 2 * hour, 'HL0001', { live_status: 'live' }, { video_id: 'liveNow0001' }),
      streamAt(now - 30 * 60 * 1000, 'HL0002', { live_status: 'live' }, { video_id: 'liveNow0002' }),
      streamAt(now - 20 * 60 * 1000, 'HL0003', { live_status: 'upcoming' }, { video_id: 'lateStart01' }),
      streamAt(now + 2 * hour, 'HL0004', { live_status: 'upcoming' }, { video_id: 'inTwoHours1' }),
      streamAt(now + 10 * hour, 'HL0005', { live_status: 'upcoming' }, { video_id: 'inTenHours1' }),
      streamAt(now - 3 * hour, 'HL0104', { live_status: 'completed' }, { video_id: 'endedAlrdy1' }),
      streamAt(
        now + 1 * hour,
        'HL0105',
        { live_status: 'upcoming', disappeared_at: new Date(now).toISOString() },
        { video_id: 'cancelled01' },
      ),
    ]);
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const live = async (query = '') => {
    const res = await getWithToken(`${sut.url}/api/v2/live${query}`, token);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { live: Array<{ video_id: string }>; upcoming: Array<{ video_id: string }> };
    return { live: body.live.map((s) => s.video_id), upcoming: body.upcoming.map((s) => s.video_id) };
  };

  it('lists what is live now and what starts within 6 hours (late starts included), in start order', async () => {
    assert.deepEqual(await live(), {
      live: ['liveNow0001', 'liveNow0002'],
      upcoming: ['lateStart01', 'inTwoHours1'],
    });
  });

  it('looks further ahead with hours=N', async () => {
    assert.deepEqual((await live('?hours=12')).upcoming, ['lateStart01', 'inTwoHours1', 'inTenHours1']);
  });

  for (const hours of ['0', '49', 'six', '1.5', '', '012']) {
    it(`when hours=${hours}, then 400 problem naming hours`, async () => {
      await assertProblem(await getWithToken(`${sut.url}/api/v2/live?hours=${hours}`, token), 400, 'hours');
    });
  }
});

describe('the v2 OpenAPI document', () => {
  it('describes every v2 route, with an example for every parameter and problem+json errors', async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    const doc = (await (await fetch(`${sut.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: Array<{ name: string; example?: unknown; examples?: unknown }>;
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const routes: Array<[string, string]> = [
      ['get', '/api/v2/streams'],
      ['get', '/api/v2/streams/{video_id}'],
      ['get', '/api/v2/live'],
      ['get', '/api/v2/groups'],
      ['get', '/api/v2/talents'],
      ['get', '/api/v2/talents/{code}'],
      ['patch', '/api/v2/talents/{code}'],
    ];
    for (const [method, path] of routes) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path} is documented`);
      for (const p of op.parameters ?? [])
        assert.ok(p.example !== undefined || p.examples !== undefined, `${path} ${p.name} has an example`);
      assert.ok(op.responses['400']?.content?.['application/problem+json'], `${path} 400 is problem+json`);
    }
    const names = (doc.paths['/api/v2/streams']?.get?.parameters ?? []).map((p) => p.name).sort();
    assert.deepEqual(names, ['cursor', 'from', 'group', 'limit', 'order', 'q', 'status', 'talent', 'to']);
  });
});
