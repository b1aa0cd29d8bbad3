import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleList, ScheduleListError } from '../../src/collector/schedule-list-client.js';
import { scheduleList } from '../support/schedule-fixtures.js';

describe('parseScheduleList', () => {
  it('reads title, talent, live flag and collaborators by video id', () => {
    const sut = parseScheduleList(
      scheduleList([
        {
          videoId: 'yEttl2nfhsQ',
          datetime: '2020/12/09 23:00:00',
          name: '尾丸ポルカ',
          title: 'アカペラ',
          live: true,
          collaborators: ['獅白ぼたん'],
        },
      ]),
    );
    const video = sut.get('yEttl2nfhsQ');
    assert.equal(video?.title, 'アカペラ');
    assert.equal(video?.name, '尾丸ポルカ');
    assert.equal(video?.live, true);
    assert.deepEqual(
      video?.collaborators.map((c) => c.name),
      ['獅白ぼたん'],
    );
  });

  it('leaves out entries that are not YouTube videos or not objects', () => {
    const json = scheduleList([
      { videoId: 'yEttl2nfhsQ', datetime: '2020/12/09 23:00:00', name: '尾丸ポルカ', title: 'kept' },
    ]) as {
      dateGroupList: { videoList: unknown[] }[];
    };
    json.dateGroupList[0]!.videoList.push({ url: 'https://www.twitch.tv/x', title: 'twitch' }, 'junk', null);
    assert.deepEqual([...parseScheduleList(json).keys()], ['yEttl2nfhsQ']);
  });

  it('refuses JSON that is not the schedule list', () => {
    assert.throws(() => parseScheduleList({ error: 'maintenance' }), ScheduleListError);
    assert.throws(() => parseScheduleList([]), ScheduleListError);
  });
});
