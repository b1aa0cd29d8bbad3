// Streams in the original's `holodules` collection.
import { isDeepStrictEqual } from 'node:util';
import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
} from 'mongodb';
import { dayOfDatetime } from '../day-answer.js';
import { movesOf, seekRange } from '../stream-facets.js';
import {
  STREAM_FIELDS,
  type Stream,
  type StreamQuery,
  type StreamStatus,
  type StreamStore,
  type UpsertCounts,
  type UpsertOutcome,
} from '../types.js';
import { newStreamDocument, streamFields, toStream } from './documents.js';
import type { MongoDayAnswers } from './mongo-day-answers.js';
import { escapeRegex, textPattern } from './text-pattern.js';
import { guarded } from './unavailable.js';

const DAY_SORT = { datetime: -1, key: -1 } as const;

/** The day query, exported so a test can check on real MongoDB that the day index answers it. */
export function dayQuery(day: string): { filter: Document; sort: typeof DAY_SORT } {
  // Every datetime of that day is `day` + space + time, and `~` sorts after all of them.
  return { filter: { datetime: { $gte: day, $lt: `${day}~` } }, sort: DAY_SORT };
}

/**
 * The v2 query on the original's own fields, so the original's documents need no field of ours: the window and
 * the order on `datetime` (Japan time, fixed width: its order is the start's), the talent by the key's prefix,
 * the status from `live_status` and `disappeared_at` as stream-facets.ts derives it, the text by a width- and
 * case-insensitive pattern on the title, the talent name and the collaborators' names. Served by the indexes
 * `datetime_-1_key_-1` and `key_1`; exported so a test can read its plan.
 */
export function streamQuery(query: StreamQuery): { filter: Document; sort: Document; limit: number } {
  const range = seekRange(query);
  const all: Document[] = [
    {
      datetime: {
        $gte: japanDatetime(range.from, 'up'),
        ...(range.toInclusive ? { $lte: japanDatetime(range.to, 'down') } : { $lt: japanDatetime(range.to, 'up') }),
      },
    },
  ];
  if (query.talents !== undefined) all.push({ key: { $in: query.talents.map(keyPrefix) } });
  if (query.statuses !== undefined) all.push({ $or: query.statuses.map((s) => STATUS_FILTERS[s]) });
  if (query.text !== undefined) {
    const pattern = new RegExp(textPattern(query.text.needle), 'i');
    all.push({
      $or: [
        { title: pattern },
        { name: pattern },
        { 'collaborators.name': pattern },
        ...(query.text.talents.length > 0 ? [{ key: { $in: query.text.talents.map(keyPrefix) } }] : []),
      ],
    });
  }
  const direction = query.order === 'desc' ? -1 : 1;
  if (query.after !== undefined) {
    const beyond = query.order === 'desc' ? '$lt' : '$gt';
    const at = japanDatetime(query.after.start, 'down');
    all.push({ $or: [{ datetime: { [beyond]: at } }, { datetime: at, key: { [beyond]: query.after.key } }] });
  }
  return { filter: { $and: all }, sort: { datetime: direction, key: direction }, limit: query.limit };
}

const keyPrefix = (code: string): RegExp => new RegExp(`^${escapeRegex(code)}_`);

/** `disappeared_at` as statusOf reads it: anything but a falsy value means gone. */
const GONE = { $exists: true, $nin: [null, false, '', 0] };
const HERE = { $in: [null, false, '', 0] };
const STATUS_FILTERS: Record<StreamStatus, Document> = {
  missing: { $or: [{ disappeared_at: GONE }, { live_status: 'unavailable' }] },
  live: { disappeared_at: HERE, live_status: 'live' },
  upcoming: { disappeared_at: HERE, live_status: 'upcoming' },
  ended: { disappeared_at: HERE, live_status: { $nin: ['live', 'upcoming', 'unavailable'] } },
};

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
/** An instant as the contract's `datetime`, rounded to a whole second (up for a lower bound, down for an upper). */
function japanDatetime(iso: string, round: 'up' | 'down'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso < '1' ? '' : '~';
  const seconds = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  const t = new Date(seconds * 1000 + JST_OFFSET_MS).toISOString();
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)} ${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}`;
}

const WITHOUT_ID = { projection: { _id: 0 } } as const;
const DUPLICATE_KEY = 11000;
const MAX_INSERT_RACES = 3;

const addCounts = (a: UpsertCounts, b: UpsertCounts): UpsertCounts => ({
  inserted: a.inserted + b.inserted,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
});

/** Splits the input where a key repeats, so each batch has distinct keys and later entries see earlier ones. */
function distinctKeyRuns(streams: Stream[]): Stream[][] {
  const runs: Stream[][] = [];
  let run: Stream[] = [];
  let keys = new Set<string>();
  for (const stream of streams) {
    if (keys.has(stream.key)) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    run.push(stream);
    keys.add(stream.key);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The fields of `wanted` whose stored value differs; extras already stored and not mentioned are kept. */
function changedFields(stored: Document, wanted: Document): Document {
  const changes: Document = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (!isDeepStrictEqual(stored[name], value)) changes[name] = value;
  }
  return changes;
}

/** Whether a change touches the day's v1 answer (the contract's fields), not only fields of ours. */
const changesAnswer = (changes: Document): boolean => STREAM_FIELDS.some((f) => f in changes);

export function mongoStreamStore(
  holodules: Collection,
  timeoutMs: number,
  dayAnswers: (loadDay: (day: string) => Promise<Stream[]>) => MongoDayAnswers,
): StreamStore {
  const findByDay = (day: string): Promise<Stream[]> => {
    const { filter, sort } = dayQuery(day);
    return guarded(timeoutMs, async () =>
      (await holodules.find(filter, WITHOUT_ID).sort(sort).maxTimeMS(timeoutMs).toArray()).map(toStream),
    );
  };
  const answers = dayAnswers(findByDay);

  // Compare first, then write only what differs: the collector re-sends hundreds of unchanged streams every
  // run, and a read costs far less than a write (no journal, no oplog, no replication). The counts are the
  // server's own (inserted, modified), so they stay exact even when another writer got there first.
  async function upsertRun(streams: Stream[], racesLeft: number): Promise<UpsertCounts> {
    const stored = new Map<string, Document>();
    const keys = streams.map((s) => s.key);
    const found = await guarded(timeoutMs, () =>
      holodules
        .find({ key: { $in: keys } })
        .maxTimeMS(timeoutMs)
        .toArray(),
    );
    for (const doc of found) stored.set(String(doc.key), doc);

    const operations: AnyBulkWriteOperation[] = [];
    const days = new Set<string>();
    for (const stream of streams) {
      const current = stored.get(stream.key);
      if (!current) {
        operations.push({ insertOne: { document: newStreamDocument(stream) } });
        days.add(dayOfDatetime(stream.datetime));
        continue;
      }
      const changes = changedFields(current, streamFields(stream));
      // $set keeps every field where it is; only a new field of ours is appended.
      if (Object.keys(changes).length > 0)
        operations.push({ updateOne: { filter: { _id: current._id }, update: { $set: changes } } });
      if (changesAnswer(changes)) {
        days.add(dayOfDatetime(String(current.datetime ?? '')));
        days.add(dayOfDatetime(stream.datetime));
      }
    }
    if (operations.length === 0) return { inserted: 0, updated: 0, unchanged: streams.length };

    try {
      const result = await answers.writing(days, () =>
        guarded(timeoutMs, () => holodules.bulkWrite(operations, { ordered: false })),
      );
      return {
        inserted: result.insertedCount,
        updated: result.modifiedCount,
        unchanged: streams.length - result.insertedCount - result.modifiedCount,
      };
    } catch (err) {
      // Another writer inserted one of our new keys between our read and our write: compare again for those.
      if (!(err instanceof MongoBulkWriteError) || racesLeft === 0) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
      const lostKeys = new Set(
        errors.map((e) =>
          String((operations[e.index] as { insertOne: { document: Document } }).insertOne.document.key),
        ),
      );
      const done = { inserted: err.result.insertedCount, updated: err.result.modifiedCount };
      const again = await upsertRun(
        streams.filter((s) => lostKeys.has(s.key)),
        racesLeft - 1,
      );
      const settled = streams.length - lostKeys.size;
      return addCounts({ ...done, unchanged: settled - done.inserted - done.updated }, again);
    }
  }

  const outcomeOf = (c: UpsertCounts): UpsertOutcome =>
    c.inserted > 0 ? 'inserted' : c.updated > 0 ? 'updated' : 'unchanged';

  /** The stream under `fromKey` takes `stream`'s key and fields with `$set`: same `_id`, field order kept. */
  async function moveRun(fromKey: string, stream: Stream, racesLeft: number): Promise<UpsertOutcome> {
    const old = await guarded(timeoutMs, () => holodules.findOne({ key: fromKey }, { maxTimeMS: timeoutMs }));
    if (!old) return outcomeOf(await upsertRun([stream], MAX_INSERT_RACES));
    const replaced = await guarded(timeoutMs, () =>
      holodules.findOne(
        { key: stream.key, _id: { $ne: old._id } },
        { projection: { datetime: 1 }, maxTimeMS: timeoutMs },
      ),
    );
    const days = new Set(
      [old.datetime, replaced?.datetime, stream.datetime]
        .filter((d) => d !== undefined)
        .map((d) => dayOfDatetime(String(d))),
    );
    // Counted here, where the key changes, so a calendar's SEQUENCE grows with every reschedule.
    const moves = movesOf(old) + 1;
    const changes = changedFields(old, streamFields({ ...stream, extra: { ...stream.extra, moves } }));
    try {
      await answers.writing(days, async () => {
        // The key index is unique: whatever holds the target key goes first, as an upsert would have replaced it.
        await guarded(timeoutMs, () =>
          holodules.deleteOne({ key: stream.key, _id: { $ne: old._id } }, { maxTimeMS: timeoutMs }),
        );
        await guarded(timeoutMs, () =>
          holodules.updateOne({ _id: old._id }, { $set: changes }, { maxTimeMS: timeoutMs }),
        );
      });
    } catch (err) {
      // Another writer took the target key between our delete and our update: clear it again.
      if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY) || racesLeft === 0) throw err;
      return moveRun(fromKey, stream, racesLeft - 1);
    }
    return 'updated';
  }

  return {
    findByDay,
    findDayAnswer(day, encoding) {
      return answers.find(day, encoding);
    },
    findByKey(key) {
      return guarded(timeoutMs, async () => {
        const doc = await holodules.findOne({ key }, { ...WITHOUT_ID, maxTimeMS: timeoutMs });
        return doc ? toStream(doc) : null;
      });
    },
    findByVideoId(videoId) {
      return guarded(timeoutMs, async () => {
        const doc = await holodules.findOne(
          { video_id: videoId },
          { ...WITHOUT_ID, sort: DAY_SORT, maxTimeMS: timeoutMs },
        );
        return doc ? toStream(doc) : null;
      });
    },
    findByVideoIds(videoIds) {
      if (videoIds.length === 0) return Promise.resolve([]);
      return guarded(timeoutMs, async () =>
        (
          await holodules
            .find({ video_id: { $in: videoIds } }, WITHOUT_ID)
            .maxTimeMS(timeoutMs)
            .toArray()
        ).map(toStream),
      );
    },
    moveStream(fromKey, stream) {
      return fromKey === stream.key
        ? upsertRun([stream], MAX_INSERT_RACES).then(outcomeOf)
        : moveRun(fromKey, stream, MAX_INSERT_RACES);
    },
    // Each round trip has the deadline, not the whole call: a migration's large batch may take longer.
    async upsertMany(streams) {
      let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
      for (const run of distinctKeyRuns(streams)) counts = addCounts(counts, await upsertRun(run, MAX_INSERT_RACES));
      return counts;
    },
    count() {
      return guarded(timeoutMs, () => holodules.countDocuments({}, { maxTimeMS: timeoutMs }));
    },
    query(query) {
      const { filter, sort, limit } = streamQuery(query);
      return guarded(timeoutMs, async () =>
        (await holodules.find(filter, WITHOUT_ID).sort(sort).limit(limit).maxTimeMS(timeoutMs).toArray()).map(toStream),
      );
    },
    list(after, limit) {
      const filter = after === null ? {} : { key: { $gt: after } };
      return guarded(timeoutMs, async () =>
        (await holodules.find(filter, WITHOUT_ID).sort({ key: 1 }).limit(limit).maxTimeMS(timeoutMs).toArray()).map(
          toStream,
        ),
      );
    },
  };
}
