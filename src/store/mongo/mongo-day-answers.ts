// Each day's v1 answer in `holodule_day_answers` ({_id: day, gen, tag, identity, gzip, br}), beside the original's
// `holodules` (day-answer.ts). There is no multi-document transaction on a standalone server, so a generation
// keeps it honest: every write of a day's streams adds one to the day's `gen` and removes its answer, before and
// after writing; the next read builds it (one lookup of the streams) and keeps it only by an update conditional
// on the `gen` it read before the streams, so an answer built from streams older than a write that finished
// meanwhile is never kept. Building on the read, not in the write, keeps a large import quick.
import { Binary, type Collection, type Document, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { type DayAnswer, type DayEncoding, type EncodedDay, encodeDay } from '../day-answer.js';
import type { Stream } from '../types.js';
import { guarded } from './unavailable.js';

export const DAY_ANSWERS_COLLECTION = 'holodule_day_answers';

const DUPLICATE_KEY = 11000;
const ANSWER_FIELDS = { tag: '', identity: '', gzip: '', br: '' } as const;

interface AnswerDocument {
  _id: string;
  gen: number;
  tag?: string;
  identity?: Binary;
  gzip?: Binary;
  br?: Binary;
}

export interface MongoDayAnswers {
  find(day: string, encoding: DayEncoding): Promise<DayAnswer | null>;
  /** Runs `write` (of these days' streams) between two ends of their answers; the next reads build them. */
  writing<T>(days: Set<string>, write: () => Promise<T>): Promise<T>;
}

const bufferOf = (b: Binary): Buffer => Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position);

export function mongoDayAnswers(
  answers: Collection<AnswerDocument>,
  loadDay: (day: string) => Promise<Stream[]>,
  timeoutMs: number,
): MongoDayAnswers {
  const projections = {
    identity: { gen: 1, tag: 1, identity: 1 },
    gzip: { gen: 1, tag: 1, gzip: 1 },
    br: { gen: 1, tag: 1, br: 1 },
  };

  /** Builds the day's answer from its streams and keeps it if no write ended generation `gen` meanwhile. */
  async function build(day: string, seen: AnswerDocument | null): Promise<EncodedDay | null> {
    const encoded = encodeDay(await loadDay(day));
    if (encoded === null) return null;
    const fields = {
      tag: encoded.tag,
      identity: new Binary(encoded.identity),
      gzip: new Binary(encoded.gzip),
      br: new Binary(encoded.br),
    };
    try {
      await guarded(timeoutMs, () =>
        answers.updateOne(
          { _id: day, gen: seen?.gen ?? 0 },
          { $set: fields as Document },
          { upsert: seen === null, maxTimeMS: timeoutMs },
        ),
      );
    } catch (err) {
      // A write made the day's document first: its own build keeps the answer, ours was for this read only.
      if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
    }
    return encoded;
  }

  /** Ends the answers of these days (two round trips): the next read of each builds it again. */
  async function end(days: string[]): Promise<void> {
    // Every day gets a document first, so a reader that saw none cannot keep an answer across this write.
    try {
      await guarded(timeoutMs, () =>
        answers.insertMany(
          days.map((day) => ({ _id: day, gen: 0 })),
          { ordered: false },
        ),
      );
    } catch (err) {
      const errors = err instanceof MongoBulkWriteError ? [err.writeErrors].flat() : [];
      if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    }
    await guarded(timeoutMs, () =>
      answers.updateMany({ _id: { $in: days } }, { $inc: { gen: 1 }, $unset: ANSWER_FIELDS }, { maxTimeMS: timeoutMs }),
    );
  }

  return {
    async find(day, encoding) {
      const kept = await guarded(timeoutMs, () =>
        answers.findOne({ _id: day }, { projection: projections[encoding], maxTimeMS: timeoutMs }),
      );
      const body = kept?.[encoding];
      if (kept && body !== undefined && kept.tag !== undefined) return { tag: kept.tag, body: bufferOf(body) };
      const built = await build(day, kept);
      return built === null ? null : { tag: built.tag, body: built[encoding] };
    },
    async writing(days, write) {
      if (days.size === 0) return write();
      const list = [...days];
      // Ended before too: if the write fails part-way, no answer older than what it did write is left.
      await end(list);
      const result = await write();
      // A read between the two ends may have kept an answer from streams half written: the second ends it.
      await end(list);
      return result;
    },
  };
}
