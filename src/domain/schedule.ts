// The schedule as the API serves it.
import { notFound } from '../errors.js';
import type { DayAnswer, DayEncoding } from '../store/day-answer.js';
import type { Store, Stream } from '../store/types.js';
import { parseCalendarDay } from './calendar-day.js';

/** One day's v1 answer (its streams, newest first) as the store keeps it, in `encoding`; a day with none is the contract's 404. */
export async function findDayAnswer(store: Store, date: string, encoding: DayEncoding): Promise<DayAnswer> {
  const answer = await store.streams.findDayAnswer(parseCalendarDay(date), encoding);
  if (answer === null) throw notFound();
  return answer;
}

/** The streams of one day (Japan time), newest first; a day with none is the contract's 404. */
export async function findStreamsByDay(store: Store, date: string): Promise<Stream[]> {
  const streams = await store.streams.findByDay(parseCalendarDay(date));
  if (streams.length === 0) throw notFound();
  return streams;
}
