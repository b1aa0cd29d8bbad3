import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generatedCode } from '../../src/talents/directory.js';
import { call, getWithToken, startTestApp, type TestServer, fetch } from '../support/test-server.js';
import { assertProblem, streamAt } from '../support/v2.js';

describe('v2 groups and talents', () => {
  let sut: TestServer;
  let token: string;
  let adminToken: string;
  const newcomer = '新人ちゃん';
  const code = generatedCode(newcomer);
  const hour = 60 * 60 * 1000;

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.addUser('admin01', 'password01', { role: 'admin' });
    const now = Date.now();
    await sut.store.streams.upsertMany([
      streamAt(now - 48 * hour, 'HL0503', { live_status: 'completed' }, { video_id: 'polkaLast01' }),
      streamAt(now - 72 * hour, 'HL0503', { live_status: 'completed' }, { video_id: 'polkaOld001' }),
      streamAt(now + 5 * hour, 'HL0503', { live_status: 'upcoming' }, { video_id: 'polkaNext01' }),
      streamAt(now + 50 * hour, 'HL0503', { live_status: 'upcoming' }, { video_id: 'polkaLater1' }),
      streamAt(
        '2020-12-09T10:00:00Z',
        code,
        { live_status: 'completed', talent_code_generated: true },
        { name: newcomer, video_id: 'newcomer001' },
      ),
    ]);
    // What the collector records when it meets a name talents.json lacks.
    await sut.store.talents.update(code, { seen_name: newcomer, seen_avatar: 'https://yt3.ggpht.com/new=s88' });
    token = await sut.login('user01', 'password01');
    adminToken = await sut.login('admin01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string) => getWithToken(`${sut.url}${path}`, token);
  const patch = (path: string, body: unknown, as = adminToken) =>
    fetch(`${sut.url}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('lists the groups with how many talents each has, unknown last', async () => {
    const groups = (await (await get('/api/v2/groups')).json()) as Array<{ id: string; name: string; talents: number }>;
    const byId = new Map(groups.map((g) => [g.id, g]));
    assert.equal(byId.get('holox')?.talents, 5);
    assert.equal(byId.get('hololive_jp_0')?.talents, 5);
    assert.equal(byId.get('unknown')?.talents, 1);
    assert.equal(groups.at(-1)?.id, 'unknown');
    for (const id of ['official', 'hololive_devis', 'hololive_id', 'hololive_en', 'holostars_jp', 'holostars_en'])
      assert.ok(byId.has(id), id);
  });

  it('lists the talents of a group, with English names and channel ids where known', async () => {
    const talents = (await (await get('/api/v2/talents?group=hololive_jp_5')).json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      talents.map((t) => t.code),
      ['HL0501', 'HL0502', 'HL0503', 'HL0504', 'HL0505'],
    );
    assert.deepEqual(talents[2], {
      code: 'HL0503',
      name: '尾丸ポルカ',
      name_en: 'Omaru Polka',
      group: 'hololive_jp_5',
      avatar: null,
      channel_id: 'UCK9V2B22uJYu3N7eR_BT9QA',
      graduated: false,
    });
    assert.ok(((await (await get('/api/v2/talents')).json()) as unknown[]).length > 90);
  });

  it('lists names the collector met that the directory lacks under unknown, with their generated code', async () => {
    assert.deepEqual(await (await get('/api/v2/talents?group=unknown')).json(), [
      {
        code,
        name: newcomer,
        name_en: null,
        group: 'unknown',
        avatar: 'https://yt3.ggpht.com/new=s88',
        channel_id: null,
        graduated: false,
      },
    ]);
  });

  it('shows a talent with their next and last streams', async () => {
    const res = await get('/api/v2/talents/hl0503');
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      code: string;
      next_stream: { video_id: string };
      last_stream: { video_id: string };
    };
    assert.equal(body.code, 'HL0503');
    assert.equal(body.next_stream.video_id, 'polkaNext01');
    assert.equal(body.last_stream.video_id, 'polkaLast01');
    const none = (await (await get('/api/v2/talents/HL0001')).json()) as Record<string, unknown>;
    assert.deepEqual([none.next_stream, none.last_stream], [null, null]);
  });

  it('when the talent or group is unknown, then 404 or 400 naming the parameter', async () => {
    await assertProblem(await get('/api/v2/talents/XX00000000'), 404);
    await assertProblem(await get('/api/v2/talents/bad_code!'), 400, 'code');
    await assertProblem(await get('/api/v2/talents?group=nope'), 400, 'group');
    await assertProblem(await get('/api/v2/talents?group=%03%27%7F'), 400, 'group');
    await assertProblem(await get('/api/v2/talents/%C3%8D%C3%BF'), 400, 'code');
  });

  it('when an admin names an unknown talent, then stored and later streams show it, and their v1 keys and bodies stay', async () => {
    const dayBefore = await (await get('/holodules/20201209')).text();
    const res = await patch(`/api/v2/talents/${code}`, {
      name: 'しんじんちゃん',
      name_en: 'Newcomer',
      group: 'hololive_jp_0',
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), {
      code,
      name: 'しんじんちゃん',
      name_en: 'Newcomer',
      group: 'hololive_jp_0',
      avatar: 'https://yt3.ggpht.com/new=s88',
      channel_id: null,
      graduated: false,
    });

    const stream = (await (await get('/api/v2/streams/newcomer001')).json()) as Record<string, unknown>;
    assert.deepEqual(stream.talent, { code, name: 'しんじんちゃん', group: 'hololive_jp_0' });
    assert.equal(stream.key, `${code}_20201209_190000`);
    const inGroup = (await (await get('/api/v2/streams?from=2020-12-09&to=2020-12-09&group=hololive_jp_0')).json()) as {
      items: Array<{ video_id: string }>;
    };
    assert.deepEqual(
      inGroup.items.map((s) => s.video_id),
      ['newcomer001'],
    );
    const byEnglishName = (await (await get('/api/v2/streams?from=2020-12-09&to=2020-12-09&q=newcomer')).json()) as {
      items: unknown[];
    };
    assert.equal(byEnglishName.items.length, 1);
    assert.equal(await (await get('/holodules/20201209')).text(), dayBefore, 'v1 answers byte for byte as before');
    assert.deepEqual(await (await get('/api/v2/talents?group=unknown')).json(), []);
  });

  it('takes a correction back with null', async () => {
    const res = await patch('/api/v2/talents/HL0001', { name_en: 'Sora-chan' });
    assert.equal(((await res.json()) as { name_en: string }).name_en, 'Sora-chan');
    const back = await patch('/api/v2/talents/HL0001', { name_en: null });
    assert.equal(((await back.json()) as { name_en: string }).name_en, 'Tokino Sora');
  });

  it('refuses a correction from a user who is not an admin, and bad fields each naming the field', async () => {
    await assertProblem(await patch('/api/v2/talents/HL0001', { name: 'x' }, token), 403);
    await assertProblem(await patch('/api/v2/talents/XX00000000', { name: 'x' }), 404);
    await assertProblem(await patch('/api/v2/talents/HL0001', { group: 'nope' }), 400, 'group');
    await assertProblem(await patch('/api/v2/talents/HL0001', { name: '' }), 400, 'name');
    await assertProblem(await patch('/api/v2/talents/HL0001', { name: 'x'.repeat(101) }), 400, 'name');
    await assertProblem(await patch('/api/v2/talents/HL0001', { avatar: 'http://plain' }), 400, 'avatar');
    await assertProblem(await patch('/api/v2/talents/HL0001', { channel_id: 'UC123' }), 400, 'channel_id');
    await assertProblem(await patch('/api/v2/talents/HL0001', { name: 5 }), 400, 'name');
    await assertProblem(await patch('/api/v2/talents/HL0001', { colour: 'red' }), 400, 'colour');
    await assertProblem(await patch('/api/v2/talents/HL0001', {}), 400, 'body');
    await assertProblem(await patch('/api/v2/talents/HL0001', { name: ' \u3000' }), 400, 'name');
    await assertProblem(await patch('/api/v2/talents/HL0001', { name_en: null, group: 'HOLOX' }), 400, 'group');
    await assertProblem(await patch('/api/v2/talents/HL0001', { avatar: 'https://a b' }), 400, 'avatar');
    const notJson = await call(`${sut.url}/api/v2/talents/HL0001`, 'PATCH', { token: adminToken, body: [] });
    assert.equal(notJson.status, 400);
  });

  it('when a query was asked before a correction, then the same query asked after it uses the corrected name', async () => {
    await sut.store.streams.upsertMany([
      streamAt('2020-12-11T10:00:00Z', 'HL0002', { live_status: 'completed' }, { video_id: 'renamedStr1' }),
    ]);
    const path = '/api/v2/streams?from=2020-12-11&to=2020-12-11&q=renamedonce';
    const found = async () => ((await (await get(path)).json()) as { items: Array<{ video_id: string }> }).items;
    assert.deepEqual(await found(), []);
    assert.equal((await patch('/api/v2/talents/HL0002', { name_en: 'Renamedonce' })).status, 200);
    assert.deepEqual(
      (await found()).map((s) => s.video_id),
      ['renamedStr1'],
    );
    assert.equal((await patch('/api/v2/talents/HL0002', { name_en: null })).status, 200);
    assert.deepEqual(await found(), []);
  });
});
