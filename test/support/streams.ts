// Test data in the contract's shape, made per test.
import type { Stream } from '../../src/store/types.js';

let counter = 0;

/** A stream in the original's shape; `datetime` is `YYYYMMDD HHMMSS` in Japan time. */
export function makeStream(datetime: string, overrides: Partial<Stream> = {}): Stream {
  counter++;
  const videoId = `vid${String(counter).padStart(8, '0')}`.slice(0, 11);
  const code = overrides.key?.split('_')[0] ?? 'HL0503';
  return {
    key: `${code}_${datetime.replace(' ', '_')}`,
    video_id: videoId,
    datetime,
    name: '尾丸ポルカ',
    title: `配信 ${counter}`,
    url: `https://www.youtube.com/watch?v=${videoId}`,
    description: `説明 ${counter}`,
    ...overrides,
  };
}
