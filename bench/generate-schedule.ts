// The benchmark's schedule: days of 30–50 streams in the contract's shape, generated from a seed. Day N's
// streams depend only on the seed and N, so the day the benchmark asks for is identical at 10k and at 1M.
import { TALENTS } from '../src/talents/directory.js';
import type { Stream } from '../src/store/types.js';
import { daySeed, pick, seededRandom, type Random } from './seeded-random.js';

export const FIRST_DAY = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;
const VIDEO_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const TITLE_TAGS = [
  '【歌枠】',
  '【雑談】',
  '【Minecraft】',
  '【APEX】',
  '【朝活】',
  '【ASMR】',
  '【3D LIVE】',
  '【ホロライブ】',
  '【耐久】',
  '【初見】',
];
const TITLE_WORDS = [
  'みんなでまったり',
  'ひさしぶりの',
  '新衣装お披露目',
  'コラボ',
  'ゲーム実況',
  'お誕生日',
  '記念配信',
  'リスナーと',
  '深夜の',
  'はじめての',
];
const DESCRIPTION_WORDS = [
  'こんばんは',
  '今日は',
  'ぜひ見に来てね',
  'メンバーシップ',
  'チャンネル登録',
  'よろしくお願いします',
  '#ホロライブ',
  'Twitter',
  '配信タグ',
  'ファンアート',
];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDD` of the day `dayIndex` days after 2020-01-01. */
export function dayOf(dayIndex: number): string {
  const date = new Date(FIRST_DAY + dayIndex * DAY_MS);
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

function videoId(random: Random): string {
  let id = '';
  for (let i = 0; i < 11; i++) id += VIDEO_ID_ALPHABET[Math.floor(random() * VIDEO_ID_ALPHABET.length)];
  return id;
}

function description(random: Random): string {
  let text = '';
  while (text.length < 100) text += `${pick(random, DESCRIPTION_WORDS)} `;
  // The collector keeps the first 100 characters, without CR, LF and quotes.
  return text.slice(0, 100);
}

/** The streams of one day, newest last (insertion order does not matter to the store). */
export function streamsOfDay(seed: number, dayIndex: number): Stream[] {
  const random = seededRandom(daySeed(seed, dayIndex));
  const day = dayOf(dayIndex);
  const count = 30 + Math.floor(random() * 21);
  const keys = new Set<string>();
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) {
    const talent = pick(random, TALENTS);
    let minute = Math.floor(random() * 288) * 5;
    let datetime = '';
    let key = '';
    // One talent cannot start two streams in the same minute: move on to the next free slot of the day.
    do {
      datetime = `${day} ${pad(Math.floor(minute / 60) % 24)}${pad(minute % 60)}00`;
      key = `${talent.code}_${datetime.replace(' ', '_')}`;
      minute = (minute + 5) % 1440;
    } while (keys.has(key));
    keys.add(key);
    const id = videoId(random);
    streams.push({
      key,
      video_id: id,
      datetime,
      name: talent.name,
      title: `${pick(random, TITLE_TAGS)}${pick(random, TITLE_WORDS)}${talent.name} #${i + 1}`,
      url: `https://www.youtube.com/watch?v=${id}`,
      description: description(random),
    });
  }
  return streams;
}

/** Exactly `total` streams, day after day from 2020-01-01, in batches for the store. */
export function* generateSchedule(seed: number, total: number): Generator<Stream[]> {
  let left = total;
  for (let dayIndex = 0; left > 0; dayIndex++) {
    const streams = streamsOfDay(seed, dayIndex);
    yield streams.length > left ? streams.slice(0, left) : streams;
    left -= streams.length;
  }
}

/** A day complete in every table of at least `smallest` streams (a day has at most 50): day 100, or earlier for tiny data. */
export function benchDayIndex(smallest: number): number {
  return Math.min(100, Math.floor(smallest / 50 / 2));
}

/** How many days from day 0 are complete in a table of `total` streams. */
export function completeDays(seed: number, total: number): number {
  let left = total;
  let days = 0;
  for (let dayIndex = 0; ; dayIndex++) {
    left -= streamsOfDay(seed, dayIndex).length;
    if (left < 0) return days;
    days++;
  }
}
