// A stream the page stopped showing (cancelled, or moved out of the page's days) is marked, never deleted.
import type { Store } from '../store/types.js';
import { asStored, type StreamWrite } from './stream-changes.js';
import { contractDatetime } from './japan-time.js';
import type { ScheduleCard } from './parse-schedule-page.js';

/**
 * Marks the stored streams between the page's first and last card that no card shows any more; returns the
 * writes. The caller decides whether the page was complete enough to say so.
 */
export async function markDisappeared(store: Store, cards: ScheduleCard[], stamp: string): Promise<StreamWrite[]> {
  if (cards.length === 0) return [];
  const seen = new Set(cards.map((c) => c.videoId));
  const starts = cards.map((c) => contractDatetime(c.start)).sort();
  const first = starts[0]!;
  const last = starts[starts.length - 1]!;
  const marks: StreamWrite[] = [];
  for (const day of daysBetween(first.slice(0, 8), last.slice(0, 8))) {
    for (const stream of await store.streams.findByDay(day)) {
      if (stream.datetime < first || stream.datetime > last || seen.has(stream.video_id)) continue;
      if (stream.disappearedAt) continue;
      const { extra: _, ...fields } = stream;
      marks.push({ before: stream, after: { ...fields, disappearedAt: stamp, lastUpdated: stamp } });
    }
  }
  if (marks.length === 0) return [];
  await store.streams.upsertMany(marks.map((m) => m.after));
  return marks.map(({ before, after }) => ({ before, after: asStored(before, after) }));
}

/** YYYYMMDD days from `from` to `to`, both included (a page shows a few; capped so bad input cannot loop long). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const date = new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(4, 6)) - 1, Number(from.slice(6, 8))));
  for (let i = 0; i < 31; i++) {
    const day = date.toISOString().slice(0, 10).replaceAll('-', '');
    days.push(day);
    if (day >= to) break;
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return days;
}
