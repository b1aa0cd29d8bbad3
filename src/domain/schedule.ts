// The schedule as the API serves it.
import { notFound } from '../errors.js';
import type { Store, Stream } from '../store/types.js';
import { parseCalendarDay } from './calendar-day.js';

/** The streams of one day (Japan time), newest first; a day with none is the contract's 404. */
export async function findStreamsByDay(store: Store, date: string): Promise<Stream[]> {
  const streams = await store.streams.findByDay(parseCalendarDay(date));
  if (streams.length === 0) throw notFound();
  return streams;
}
