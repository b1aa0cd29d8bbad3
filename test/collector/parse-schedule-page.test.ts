import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contractDatetime } from '../../src/collector/japan-time.js';
import { parseSchedulePage, SchedulePageError } from '../../src/collector/parse-schedule-page.js';
import { avatar, schedulePage, type DaySpec } from '../support/schedule-fixtures.js';

const DECEMBER_9_2020 = new Date('2020-12-09T03:00:00Z');

const threeDays: DaySpec[] = [
  {
    date: '12/08',
    weekday: '火',
    cards: [{ videoId: 'aaaaaaaaaa1', time: '21:00', name: '大神ミオ' }],
  },
  {
    date: '12/09',
    weekday: '水',
    banners: 2,
    cards: [
      { videoId: 'bbbbbbbbbb1', time: '00:00', name: 'ときのそら', live: true },
      {
        videoId: 'bbbbbbbbbb2',
        time: '23:00',
        name: '尾丸ポルカ',
        collaborators: [avatar('獅白ぼたん'), avatar('雪花ラミィ')],
      },
    ],
  },
  {
    date: '12/10',
    weekday: '木',
    cards: [{ videoId: 'cccccccccc1', time: '09:30', name: '魔乃アロエ' }],
  },
];

describe('parseSchedulePage', () => {
  it('reads every stream card of several days, and nothing from the banners among them', () => {
    const sut = parseSchedulePage(schedulePage(threeDays), DECEMBER_9_2020);

    assert.deepEqual(sut.days, ['20201208', '20201209', '20201210']);
    assert.deepEqual(
      sut.cards.map((c) => [c.videoId, contractDatetime(c.start), c.day, c.name]),
      [
        ['aaaaaaaaaa1', '20201208 210000', '20201208', '大神ミオ'],
        ['bbbbbbbbbb1', '20201209 000000', '20201209', 'ときのそら'],
        ['bbbbbbbbbb2', '20201209 230000', '20201209', '尾丸ポルカ'],
        ['cccccccccc1', '20201210 093000', '20201210', '魔乃アロエ'],
      ],
    );
    assert.deepEqual(sut.skipped, []);
  });

  it('reads the time as Japan time, nine hours ahead of UTC', () => {
    const sut = parseSchedulePage(schedulePage(threeDays), DECEMBER_9_2020);
    assert.equal(sut.cards[2]?.start.toISOString(), '2020-12-09T14:00:00.000Z');
  });

  it('flags the card with the red border as live, in either spelling of the border', () => {
    for (const style of ['2020', 'later'] as const) {
      const sut = parseSchedulePage(schedulePage(threeDays, style), DECEMBER_9_2020);
      assert.deepEqual(
        sut.cards.map((c) => c.live),
        [false, true, false, false],
      );
    }
  });

  it('takes the video thumbnail, the talent avatar and the collaborator avatars apart', () => {
    const sut = parseSchedulePage(schedulePage(threeDays), DECEMBER_9_2020);
    const polka = sut.cards[2]!;
    assert.equal(polka.thumbnail, 'https://img.youtube.com/vi/bbbbbbbbbb2/mqdefault.jpg');
    assert.equal(polka.talentIcon, avatar('尾丸ポルカ'));
    assert.deepEqual(polka.collaboratorIcons, [avatar('獅白ぼたん'), avatar('雪花ラミィ')]);
    assert.deepEqual(sut.cards[0]?.collaboratorIcons, []);
  });

  it('reads the 2020 col-5 columns and the later col-4 columns alike', () => {
    const older = parseSchedulePage(schedulePage(threeDays, '2020'), DECEMBER_9_2020);
    const newer = parseSchedulePage(schedulePage(threeDays, 'later'), DECEMBER_9_2020);
    assert.equal(older.cards.length, 4);
    assert.deepEqual(older, newer);
  });

  it('puts 12/31 and 01/01 in the right years whether fetched before or after midnight on New Year', () => {
    const page = schedulePage([
      { date: '12/31', weekday: '木', cards: [{ videoId: 'newyear0001', time: '23:30', name: 'さくらみこ' }] },
      { date: '01/01', weekday: '金', cards: [{ videoId: 'newyear0002', time: '00:00', name: '星街すいせい' }] },
    ]);
    const onNewYearsEve = new Date('2026-12-31T10:00:00Z');
    const onNewYearsDay = new Date('2026-12-31T15:30:00Z'); // 00:30 on January 1st in Japan

    for (const fetchedAt of [onNewYearsEve, onNewYearsDay]) {
      const sut = parseSchedulePage(page, fetchedAt);
      assert.deepEqual(
        sut.cards.map((c) => contractDatetime(c.start)),
        ['20261231 233000', '20270101 000000'],
      );
    }
  });

  it('tolerates extra whitespace and line breaks in the time, the name and the heading', () => {
    const page = schedulePage(threeDays)
      .replace(/>\s*尾丸ポルカ\s*</, '>\n\t\u3000尾丸ポルカ \u3000\n  <')
      .replace('23:00', '\n   23:00\n   ')
      .replace('12/09', '  12/09  ');
    const sut = parseSchedulePage(page, DECEMBER_9_2020);
    assert.equal(sut.cards[2]?.name, '尾丸ポルカ');
    assert.equal(contractDatetime(sut.cards[2]!.start), '20201209 230000');
  });

  it('skips, with a reason, a stream card that does not link to a YouTube video', () => {
    const page = schedulePage(threeDays).replace(
      'https://www.youtube.com/watch?v=cccccccccc1',
      'https://www.twitch.tv/somebody',
    );
    const sut = parseSchedulePage(page, DECEMBER_9_2020);
    assert.equal(sut.cards.length, 3);
    assert.deepEqual(sut.skipped, [{ href: 'https://www.twitch.tv/somebody', reason: 'not a YouTube video link' }]);
  });

  it('lists a video shown twice only once', () => {
    const page = schedulePage([
      {
        date: '12/09',
        weekday: '水',
        cards: [
          { videoId: 'dddddddddd1', time: '20:00', name: '白上フブキ' },
          { videoId: 'dddddddddd1', time: '20:00', name: '白上フブキ' },
        ],
      },
    ]);
    assert.equal(parseSchedulePage(page, DECEMBER_9_2020).cards.length, 1);
  });

  it('refuses a page that is not the schedule, saying so', () => {
    const page =
      '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Maintenance</h1></body></html>';
    assert.throws(
      () => parseSchedulePage(page, DECEMBER_9_2020),
      (err: unknown) =>
        err instanceof SchedulePageError &&
        /not the schedule page/.test(err.message) &&
        /Maintenance|503/.test(err.message),
    );
  });

  it('refuses day headings that are not dates', () => {
    const page = schedulePage(threeDays).replace('12/10', '13/45');
    assert.throws(() => parseSchedulePage(page, DECEMBER_9_2020), SchedulePageError);
  });
});
