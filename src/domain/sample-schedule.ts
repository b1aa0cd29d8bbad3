// A clearly marked sample schedule for a brand-new embedded database, so the quick start has a day to fetch.
// Every video id starts with "sample", every title with "[sample]", and each carries `sample: true`.
import type { Stream } from '../store/types.js';

const rows: Array<[code: string, name: string, datetime: string, title: string]> = [
  ['HL0001', 'ときのそら', '20201209 200000', '[sample] 歌枠 / singing stream'],
  ['HL0G02', '大神ミオ', '20201209 210000', '[sample] 雑談 / chatting'],
  ['HL0501', '獅白ぼたん', '20201209 220000', '[sample] FPS practice'],
  ['HL0503', '尾丸ポルカ', '20201209 230000', '[sample] アカペラで歌う / a cappella'],
  ['HL0505', '魔乃アロエ', '20201209 190000', '[sample] 朝活 / morning stream'],
  ['HL0503', '尾丸ポルカ', '20201210 000000', '[sample] 深夜の雑談 / late-night talk'],
];

export function sampleStreams(): Stream[] {
  return rows.map(([code, name, datetime, title], i) => {
    const videoId = `sample${String(i + 1).padStart(5, '0')}`;
    return {
      key: `${code}_${datetime.replace(' ', '_')}`,
      video_id: videoId,
      datetime,
      name,
      title,
      url: `https://www.youtube.com/watch?v=${videoId}`,
      description: 'Sample data seeded by holodule on first start; not a real stream.',
      extra: { sample: true },
    };
  });
}
