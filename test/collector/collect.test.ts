import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayJson } from '../../src/store/day-answer.js';
import { STREAM_FIELDS } from '../../src/store/types.js';
import { startHarness } from '../support/collect-harness.js';
import { TalentDirectory } from '../../src/talents/directory.js';
import { avatar, scheduleList, schedulePage, type DaySpec } from '../support/schedule-fixtures.js';

const days = (): DaySpec[] => [
  { date: '12/08', weekday: '火', cards: [{ videoId: 'aaaaaaaaaa1', time: '21:00', name: '大神ミオ' }] },
  {
    date: '12/09',
    weekday: '水',
    banners: 1,
    cards: [
      { videoId: 'bbbbbbbbbb1', time: '00:00', name: 'ときのそら', live: true },
      { videoId: 'bbbbbbbbbb2', time: '23:00', name: '尾丸ポルカ', collaborators: [avatar('獅白ぼたん')] },
    ],
  },
  { date: '12/10', weekday: '木', cards: [{ videoId: 'cccccccccc1', time: '09:30', name: '魔乃アロエ' }] },
];

const withoutCard = (videoId: string): DaySpec[] =>
  days().map((d) => ({ ...d, cards: d.cards.filter((c) => c.videoId !== videoId) }));

describe('collect: the schedule page into the store', () => {
  it("stores every stream in the contract's shape, with our own fields beside it", async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: schedulePage(days()) });

    const result = await h.sut.collect();

    assert.deepEqual(
      {
        new: result.new,
        updated: result.updated,
        unchanged: result.unchanged,
        skipped: result.skipped,
        failed: result.failed,
      },
      { new: 4, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
    );
    const polka = await h.store.streams.findByVideoId('bbbbbbbbbb2');
    const { extra, liveStatus, youtube, firstSeen, lastUpdated, disappearedAt, ...contract } = polka!;
    assert.deepEqual(Object.keys(contract), [...STREAM_FIELDS]);
    assert.deepEqual(contract, {
      key: 'HL0503_20201209_230000',
      video_id: 'bbbbbbbbbb2',
      datetime: '20201209 230000',
      name: '尾丸ポルカ',
      title: '',
      url: 'https://www.youtube.com/watch?v=bbbbbbbbbb2',
      description: '',
    });
    assert.equal(extra?.start_utc, '2020-12-09T14:00:00.000Z');
    assert.equal(liveStatus, 'upcoming');
    assert.equal(extra?.thumbnail, 'https://img.youtube.com/vi/bbbbbbbbbb2/mqdefault.jpg');
    // No card of hers on the page and no list: her avatar is all that is known.
    assert.deepEqual(extra?.collaborators, [{ code: null, name: null, avatar: avatar('獅白ぼたん') }]);
    assert.equal(typeof firstSeen, 'string');
    assert.equal(firstSeen, lastUpdated);
    assert.equal(disappearedAt, null);
    assert.equal(youtube, undefined);
    assert.equal((await h.store.streams.findByVideoId('bbbbbbbbbb1'))?.liveStatus, 'live');
  });

  it('changes nothing when run a second time on the same page', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: schedulePage(days()) });
    await h.sut.collect();
    const before = await h.stored();

    const second = await h.sut.collect();

    assert.deepEqual([second.new, second.updated, second.unchanged, second.marked], [0, 0, 4, 0]);
    assert.deepEqual(await h.stored(), before);
  });

  it('moves a stream whose time changed to its new key, leaving no duplicate under the old one', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: schedulePage(days()) }, { body: schedulePage(days()).replace('23:00', '23:30') });
    await h.sut.collect();
    const firstSeen = (await h.store.streams.findByVideoId('bbbbbbbbbb2'))?.firstSeen;

    const result = await h.sut.collect();

    assert.equal(result.moved, 1);
    assert.equal(result.updated, 1);
    assert.equal(await h.store.streams.findByKey('HL0503_20201209_230000'), null);
    const moved = await h.store.streams.findByKey('HL0503_20201209_233000');
    assert.equal(moved?.datetime, '20201209 233000');
    assert.equal(moved?.firstSeen, firstSeen);
    assert.equal(await h.store.streams.count(), 4);
    const answer = await h.store.streams.findDayAnswer('20201209', 'identity');
    assert.equal(answer?.body.toString(), dayJson(await h.store.streams.findByDay('20201209')));
    assert.match(answer?.body.toString() ?? '', /20201209 233000/);
  });

  it('marks a stream that left the page instead of deleting it, and unmarks it when it comes back', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on(
      '/',
      { body: schedulePage(days()) },
      { body: schedulePage(withoutCard('bbbbbbbbbb2')) },
      { body: schedulePage(days()) },
    );
    await h.sut.collect();

    const gone = await h.sut.collect();
    const marked = await h.store.streams.findByVideoId('bbbbbbbbbb2');
    const back = await h.sut.collect();

    assert.equal(gone.marked, 1);
    assert.equal(typeof marked?.disappearedAt, 'string');
    assert.equal(marked?.key, 'HL0503_20201209_230000');
    assert.equal(back.updated, 1);
    assert.equal((await h.store.streams.findByVideoId('bbbbbbbbbb2'))?.disappearedAt, null);
  });

  it('without YouTube, follows the red border: live while drawn, completed once gone, and stays so', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const notLive = days().map((d) => ({ ...d, cards: d.cards.map((c) => ({ ...c, live: false })) }));
    h.server.on('/', { body: schedulePage(days()) }, { body: schedulePage(notLive) });
    const status = async () => (await h.store.streams.findByVideoId('bbbbbbbbbb1'))?.liveStatus;

    await h.sut.collect();
    const whileLive = await status();
    await h.sut.collect();
    const afterwards = await status();
    const third = await h.sut.collect();

    assert.deepEqual([whileLive, afterwards, await status()], ['live', 'completed', 'completed']);
    assert.equal(third.unchanged, 4);
  });

  it('keeps a talent missing from talents.json under a generated code, and logs it once', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const page = schedulePage([
      { date: '12/09', weekday: '水', cards: [{ videoId: 'newtalent01', time: '19:00', name: '新人ちゃん' }] },
    ]);
    h.server.on('/', { body: page });

    await h.sut.collect();
    await h.sut.collect();

    const stored = await h.store.streams.findByVideoId('newtalent01');
    assert.match(stored!.key, /^XX[0-9A-F]{8}_20201209_190000$/);
    assert.equal(stored?.name, '新人ちゃん');
    assert.equal(stored?.extra?.talent_code_generated, true);
    assert.equal(h.captured.warnings(/talent not in talents\.json/), 1);
  });

  it('lists a talent missing from talents.json under the group unknown, with the name and avatar the page shows', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const page = schedulePage([
      { date: '12/09', weekday: '水', cards: [{ videoId: 'newtalent01', time: '19:00', name: '新人ちゃん' }] },
    ]);
    h.server.on('/', { body: page });

    await h.sut.collect();

    const code = (await h.store.streams.findByVideoId('newtalent01'))!.key.split('_')[0]!;
    const directory = new TalentDirectory(await h.store.talents.list());
    assert.deepEqual(directory.talents('unknown'), [
      {
        code,
        name: '新人ちゃん',
        name_en: null,
        group: 'unknown',
        avatar: avatar('新人ちゃん'),
        channel_id: null,
        graduated: false,
      },
    ]);
  });

  it("names a collaborator by the avatar on the collaborator's own card on the page", async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const page = schedulePage([
      {
        date: '12/09',
        weekday: '水',
        cards: [
          {
            videoId: 'collab00001',
            time: '20:00',
            name: '尾丸ポルカ',
            collaborators: [avatar('獅白ぼたん'), avatar('誰か')],
          },
          { videoId: 'botan000001', time: '22:00', name: '獅白ぼたん' },
        ],
      },
    ]);
    h.server.on('/', { body: page });

    await h.sut.collect();

    assert.deepEqual((await h.store.streams.findByVideoId('collab00001'))?.extra?.collaborators, [
      { code: 'HL0501', name: '獅白ぼたん', avatar: avatar('獅白ぼたん') },
      { code: null, name: null, avatar: avatar('誰か') },
    ]);
  });

  it('names collaborators the schedule list names, and an avatar seen on an earlier run', async (t) => {
    const h = await startHarness(t, { youtubeKey: false });
    const botanOwnCard = schedulePage([
      { date: '12/08', weekday: '火', cards: [{ videoId: 'botan000001', time: '22:00', name: '獅白ぼたん' }] },
    ]);
    const collab = schedulePage([
      {
        date: '12/09',
        weekday: '水',
        cards: [
          {
            videoId: 'collab00001',
            time: '20:00',
            name: '尾丸ポルカ',
            collaborators: [avatar('獅白ぼたん'), avatar('雪花ラミィ')],
          },
        ],
      },
    ]);
    h.server.on('/', { body: botanOwnCard }, { body: collab });
    h.server.on('/api/list', {
      body: JSON.stringify(
        scheduleList([
          {
            videoId: 'collab00001',
            datetime: '2020/12/09 20:00:00',
            name: '尾丸ポルカ',
            title: 'コラボ',
            collaborators: ['雪花ラミィ'],
          },
        ]),
      ),
    });

    await h.sut.collect();
    await h.sut.collect();

    assert.deepEqual((await h.store.streams.findByVideoId('collab00001'))?.extra?.collaborators, [
      { code: 'HL0501', name: '獅白ぼたん', avatar: avatar('獅白ぼたん') },
      { code: 'HL0502', name: '雪花ラミィ', avatar: avatar('雪花ラミィ') },
    ]);
  });

  it('puts the streams of a New Year page in the right years', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false, now: new Date('2026-12-31T15:30:00Z') });
    h.server.on('/', {
      body: schedulePage(
        [
          { date: '12/31', weekday: '木', cards: [{ videoId: 'newyear0001', time: '23:30', name: 'さくらみこ' }] },
          { date: '01/01', weekday: '金', cards: [{ videoId: 'newyear0002', time: '00:00', name: '星街すいせい' }] },
        ],
        '2020',
      ),
    });

    await h.sut.collect();

    assert.deepEqual(
      (await h.stored()).map((s) => s.key),
      ['HL0003_20261231_233000', 'HL0004_20270101_000000'],
    );
  });

  it('counts cards it cannot use as skipped', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', {
      body: schedulePage(days()).replace('https://www.youtube.com/watch?v=cccccccccc1', 'https://www.twitch.tv/x'),
    });

    const result = await h.sut.collect();

    assert.deepEqual([result.new, result.skipped], [3, 1]);
  });
});

describe('collect: bad fetches never damage what is stored', () => {
  it('leaves everything as stored when the page answers 500, counting the page as failed', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { body: schedulePage(days()) }, { status: 500, body: 'oops' });
    await h.sut.collect();
    const before = await h.stored();

    const result = await h.sut.collect();

    assert.deepEqual([result.failed, result.new, result.updated, result.marked], [1, 0, 0, 0]);
    assert.match(result.pages[0]?.error ?? '', /HTTP 500/);
    assert.deepEqual(await h.stored(), before);
  });

  it('retries a page whose connection dropped halfway, and stores it when the retry succeeds', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on('/', { dropAfterHalf: schedulePage(days()) }, { body: schedulePage(days()) });

    const result = await h.sut.collect();

    assert.deepEqual([result.failed, result.new], [0, 4]);
  });

  it('treats a page cut short before </html> as failed once retries are spent, and marks nothing', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const full = schedulePage(days());
    h.server.on('/', { body: full }, { body: full.slice(0, full.indexOf('bbbbbbbbbb2')) });
    await h.sut.collect();
    const before = await h.stored();

    const result = await h.sut.collect();

    assert.equal(result.failed, 1);
    assert.match(result.pages[0]?.error ?? '', /cut short/);
    assert.deepEqual(await h.stored(), before);
  });

  it('stores and marks nothing when the page lists no streams at all', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    const empty = days().map((d) => ({ ...d, cards: [] }));
    h.server.on('/', { body: schedulePage(days()) }, { body: schedulePage(empty) });
    await h.sut.collect();
    const before = await h.stored();

    const result = await h.sut.collect();

    assert.deepEqual([result.failed, result.marked], [0, 0]);
    assert.deepEqual(await h.stored(), before);
  });

  it('reports a page that is not the schedule as failed, saying so, and changes nothing', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false });
    h.server.on(
      '/',
      { body: schedulePage(days()) },
      { body: '<html><head><title>Just a moment...</title></head><body>checking your browser</body></html>' },
    );
    await h.sut.collect();
    const before = await h.stored();

    const result = await h.sut.collect();

    assert.equal(result.failed, 1);
    assert.match(result.pages[0]?.error ?? '', /not the schedule page/);
    assert.deepEqual(await h.stored(), before);
  });

  it('gives up on a page that hangs after the timeout and its retries, changing nothing', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false, env: { HOLODULE_COLLECT_TIMEOUT_MS: '150' } });
    h.server.on('/', 'hang');

    const result = await h.sut.collect();

    assert.equal(result.failed, 1);
    assert.match(result.pages[0]?.error ?? '', /no complete answer within 150 ms/);
    assert.equal(h.server.requests.length, 2);
    assert.equal(await h.store.streams.count(), 0);
  });

  it('when one page fails halfway through a run, stores what the others gave and marks nothing', async (t) => {
    const h = await startHarness(t, { youtubeKey: false, list: false, pages: ['/lives/hololive', '/lives/holostars'] });
    const hololive = days();
    const holostars: DaySpec[] = [
      { date: '12/09', weekday: '水', cards: [{ videoId: 'stars000001', time: '22:00', name: '花咲みやび' }] },
    ];
    h.server.on(
      '/lives/hololive',
      { body: schedulePage(hololive) },
      { body: schedulePage(withoutCard('bbbbbbbbbb2')).replace('09:30', '10:00') },
    );
    h.server.on('/lives/holostars', { body: schedulePage(holostars) }, { dropAfterHalf: schedulePage(holostars) });
    await h.sut.collect();
    const stars = await h.store.streams.findByVideoId('stars000001');

    const result = await h.sut.collect();

    assert.equal(result.failed, 1);
    assert.equal(result.moved, 1);
    assert.equal(result.marked, 0);
    assert.equal((await h.store.streams.findByVideoId('cccccccccc1'))?.datetime, '20201210 100000');
    assert.deepEqual(await h.store.streams.findByVideoId('stars000001'), stars);
    assert.equal((await h.store.streams.findByVideoId('bbbbbbbbbb2'))?.disappearedAt, null);
  });
});
