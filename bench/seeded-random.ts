// A small seeded PRNG (mulberry32): the same seed gives the same schedule on every machine and Node version.
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed per day, so one day's streams are the same whatever the table's size. */
export const daySeed = (seed: number, dayIndex: number): number => (seed ^ Math.imul(dayIndex + 1, 0x9e3779b1)) >>> 0;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
