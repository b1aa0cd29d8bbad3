import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHarness } from '../support/collect-harness.js';
import { QUOTA_EXCEEDED, SERVER_ERROR } from '../support/fake-youtube.js';
import { scheduleList, schedulePage, type DaySpec, type ListItemSpec } from '../support/schedule-fixtures.js';

const page = (): string =>
  schedulePage([
    {
      date: '12/09',
      weekday: '水',
      cards: [
        { videoId: 'yEttl2nfhsQ', time: '23:00', name: '尾丸ポルカ' },
        { videoId: 'finished001', time: '12:00', name: '獅白ぼたん' },
        { videoId: 'upcoming001', time: '22:00', name: '大神ミオ' },
      ],
    } satisfies DaySpec,
  ]);

const list = (...more: ListItemSpec[]) =>
  scheduleList([
    ...more,
    { videoId: 'yEttl2nfhsQ', datetime: '2020/12/09 23:00:00', name: '尾丸ポルカ', title: 'list: アカペラ' },
    { videoId: 'finished001', datetime: '2020/12/09 12:00:00', name: '獅白ぼたん', title: 'list: finished' },
    { videoId: 'upcoming001', datetime: '2020/12/09 22:00:00', name: '大神ミオ', title: 'list: upcoming' },
  ]);

const longDescription = `"アカペラ"で歌う'よ'\r\n${'あ'.repeat(120)}`;

function addVideos(youtube: { add: (...v: import('../support/fake-youtube.js').FakeVideo[]) => void }): void {
  youtube.add(
    {
      id: 'yEttl2nfhsQ',
      title: 'アカペラで歌う',
      description: longDescription,
      liveBroadcastContent: 'upcoming',
      scheduledStartTime: '2020-12-09T14:00:00Z',
    },
    {
      id: 'finished001',
      title: 'finished stream',
      description: 'done',
      liveBroadcastContent: 'none',
      scheduledStartTime: '2020-12-09T03:00:00Z',
      actualStartTime: '2020-12-09T03:01:00Z',
      actualEndTime: '2020-12-09T05:00:00Z',
    },
    { id: 'upcoming001', title: 'upcoming stream', liveBroadcastContent: 'upcoming' },
  );
}

describe('collect: YouTube enrichment', () => {
  it('takes title and description from YouTube, the description cleaned up as the original did', async (t) => {
    const h = await startHarness(t);
    h.server.on('/', { body: page() });
    addVideos(h.youtube);

    await h.sut.collect();

    const polka = await h.store.streams.findByVideoId('yEttl2nfhsQ');
    assert.equal(polka?.title, 'アカペラで歌う');
    assert.equal(polka?.description, `アカペラで歌うよ${'あ'.repeat(92)}`);
    assert.equal(Array.from(polka!.description).length, 100);
    assert.equal(polka?.liveStatus, 'upcoming');
    const finished = await h.store.streams.findByVideoId('finished001');
    assert.equal(finished?.liveStatus, 'completed');
    assert.deepEqual(finished?.youtube, {
      status: 'ok',
      channel_id: 'UC-finished001',
      channel_title: 'Channel',
      published_at: '2020-12-01T00:00:00Z',
      live_broadcast_content: 'none',
      scheduled_start: '2020-12-09T03:00:00Z',
      actual_start: '2020-12-09T03:01:00Z',
      actual_end: '2020-12-09T05:00:00Z',
    });
    assert.equal(h.server.requests.filter((r) => r.pathname === '/api/list').length, 0);
  });

  it('does not ask again about streams that are over, to save quota', async (t) => {
    const h = await startHarness(t);
    h.server.on('/', { body: page() });
    addVideos(h.youtube);
    await h.sut.collect();

    const second = await h.sut.collect();

    assert.deepEqual(
      h.youtube.calls.map((ids) => [...ids].sort()),
      [
        ['finished001', 'upcoming001', 'yEttl2nfhsQ'],
        ['upcoming001', 'yEttl2nfhsQ'],
      ],
    );
    assert.equal(second.unchanged, 3);
  });

  it('marks a video that turned private or was deleted, keeping its title and description', async (t) => {
    const h = await startHarness(t);
    h.server.on('/', { body: page() });
    addVideos(h.youtube);
    await h.sut.collect();
    h.youtube.videos.delete('yEttl2nfhsQ');

    await h.sut.collect();

    const polka = await h.store.streams.findByVideoId('yEttl2nfhsQ');
    assert.equal(polka?.title, 'アカペラで歌う');
    assert.equal(polka?.description.startsWith('アカペラで歌うよ'), true);
    assert.equal(polka?.liveStatus, 'unavailable');
    const youtube = polka?.youtube as Record<string, unknown>;
    assert.equal(youtube.status, 'unavailable');
    assert.equal(youtube.channel_id, 'UC-yEttl2nfhsQ');
  });

  it('when the quota is exceeded, keeps stored titles, takes new ones from the list, and logs it once', async (t) => {
    const h = await startHarness(t);
    h.server.on('/', { body: page() }, { body: page() }, { body: page().replace('finished001', 'brandnew001') });
    h.server.on('/api/list', {
      body: list({
        videoId: 'brandnew001',
        datetime: '2020/12/09 12:00:00',
        name: '獅白ぼたん',
        title: 'list: brand new',
      }),
    });
    addVideos(h.youtube);
    await h.sut.collect();
    h.youtube.script(QUOTA_EXCEEDED);

    await h.sut.collect();
    await h.sut.collect();

    assert.equal((await h.store.streams.findByVideoId('yEttl2nfhsQ'))?.title, 'アカペラで歌う');
    assert.equal((await h.store.streams.findByVideoId('yEttl2nfhsQ'))?.description.length, 100);
    assert.equal((await h.store.streams.findByVideoId('brandnew001'))?.title, 'list: brand new');
    assert.equal(h.youtube.calls.length, 2);
    assert.equal(h.captured.warnings(/quota/), 1);
  });

  it('when YouTube fails halfway through a run, stores the answered half and keeps the stored titles of the rest', async (t) => {
    const h = await startHarness(t, { env: { HOLODULE_COLLECT_RETRIES: '0' } });
    const ids = Array.from({ length: 60 }, (_, i) => `many${String(i).padStart(7, '0')}`);
    const many = schedulePage([
      {
        date: '12/09',
        weekday: '水',
        cards: ids.map((videoId, i) => ({
          videoId,
          time: `${String(Math.floor(i / 3)).padStart(2, '0')}:${String((i % 3) * 20).padStart(2, '0')}`,
          name: '尾丸ポルカ',
        })),
      },
    ]);
    h.server.on('/', { body: many });
    h.server.on('/api/list', {
      body: scheduleList(
        ids.map((videoId) => ({
          videoId,
          datetime: '2020/12/09 00:00:00',
          name: '尾丸ポルカ',
          title: `list ${videoId}`,
        })),
      ),
    });
    h.youtube.script(QUOTA_EXCEEDED);
    await h.sut.collect();
    h.youtube.add(...ids.map((id) => ({ id, title: `youtube ${id}` })));
    const quotaPause = 25 * 60 * 60 * 1000;
    h.clock.now = new Date(h.clock.now.getTime() + quotaPause);
    h.youtube.scriptCall(3, SERVER_ERROR);

    const result = await h.sut.collect();

    const titles = (await h.stored()).map((s) => s.title);
    assert.equal(result.updated, 50);
    assert.equal(titles.filter((t) => t.startsWith('youtube ')).length, 50);
    assert.equal(titles.filter((t) => t.startsWith('list ')).length, 10);
  });

  it('when YouTube answers 500 or hangs, keeps what the page and the list gave', async (t) => {
    const h = await startHarness(t, { env: { HOLODULE_COLLECT_TIMEOUT_MS: '500' } });
    h.server.on('/', { body: page() });
    h.server.on('/api/list', { body: list() });
    h.youtube.script(SERVER_ERROR, 'hang');

    const result = await h.sut.collect();

    assert.equal(result.new, 3);
    assert.equal((await h.store.streams.findByVideoId('upcoming001'))?.title, 'list: upcoming');
    assert.equal(h.captured.warnings(/unreachable/), 1);
  });
});

describe('collect: without a YouTube key', () => {
  it("takes titles from the site's JSON list", async (t) => {
    const h = await startHarness(t, { youtubeKey: false });
    h.server.on('/', { body: page() });
    h.server.on('/api/list', { body: list() });

    await h.sut.collect();

    assert.equal((await h.store.streams.findByVideoId('yEttl2nfhsQ'))?.title, 'list: アカペラ');
    assert.equal(h.youtube.calls.length, 0);
  });

  it('leaves titles empty when the list cannot be read, and stores the streams all the same', async (t) => {
    const h = await startHarness(t, { youtubeKey: false });
    h.server.on('/', { body: page() });
    h.server.on('/api/list', { status: 503, body: 'unavailable' });

    const result = await h.sut.collect();

    assert.equal(result.new, 3);
    assert.deepEqual(
      (await h.stored()).map((s) => s.title),
      ['', '', ''],
    );
    assert.equal(h.captured.warnings(/schedule list not read/), 1);
  });

  it('never blanks a title learnt earlier when the list later has none', async (t) => {
    const h = await startHarness(t, { youtubeKey: false });
    h.server.on('/', { body: page() });
    h.server.on('/api/list', { body: list() }, { status: 500 });
    await h.sut.collect();

    const second = await h.sut.collect();

    assert.equal(second.unchanged, 3);
    assert.equal((await h.store.streams.findByVideoId('yEttl2nfhsQ'))?.title, 'list: アカペラ');
  });
});
