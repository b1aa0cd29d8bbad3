// Streams in the original's `holodules` collection.
import { isDeepStrictEqual } from 'node:util';
import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
} from 'mongodb';
import type { Stream, StreamQuery, StreamStore, UpsertCounts, UpsertOutcome } from '../types.js';
import { seekRange } from '../stream-facets.js';
import { facetFields, newStreamDocument, streamFields, toStream } from './documents.js';
import { guarded } from './unavailable.js';

const DAY_SORT = { datetime: -1, key: -1 } as const;

/** The day query, exported so a test can check on real MongoDB that the day index answers it. */
export function dayQuery(day: string): { filter: Document; sort: typeof DAY_SORT } {
  // Every datetime of that day is `day` + space + time, and `~` sorts after all of them.
  return { filter: { datetime: { $gte: day, $lt: `${day}~` } }, sort: DAY_SORT };
}

/** The v2 query, exported so a test can read its plan; the indexes that serve it are in indexes.ts. */
export function streamQuery(query: StreamQuery): { filter: Document; sort: Document; limit: number } {
  const range = seekRange(query);
  const all: Document[] = [{ _start_utc: { $gte: range.from, [range.toInclusive ? '$lte' : '$lt']: range.to } }];
  if (query.talents !== undefined) all.push({ _talent: { $in: query.talents } });
  if (query.statuses !== undefined) all.push({ _status: { $in: query.statuses } });
  if (query.text !== undefined) {
    const text = { _search: { $regex: escapeRegex(query.text.needle) } };
    all.push(query.text.talents.length === 0 ? text : { $or: [text, { _talent: { $in: query.text.talents } }] });
  }
  const direction = query.order === 'desc' ? -1 : 1;
  if (query.after !== undefined) {
    const beyond = query.order === 'desc' ? '$lt' : '$gt';
    all.push({
      $or: [
        { _start_utc: { [beyond]: query.after.start } },
        { _start_utc: query.after.start, key: { [beyond]: query.after.key } },
      ],
    });
  }
  return {
    filter: all.length === 1 ? all[0]! : { $and: all },
    sort: { _start_utc: direction, key: direction },
    limit: query.limit,
  };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Our stream fields plus the facets of the stream as stored after the write (its stored extras merged). */
function wantedFields(stored: Document, stream: Stream): Document {
  const fields = streamFields(stream);
  return { ...fields, ...facetFields(toStream({ ...stored, ...fields })) };
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

export function mongoStreamStore(holodules: Collection, timeoutMs: number): StreamStore {
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
    for (const stream of streams) {
      const current = stored.get(stream.key);
      if (!current) {
        operations.push({ insertOne: { document: newStreamDocument(stream) } });
        continue;
      }
      const changes = changedFields(current, wantedFields(current, stream));
      // $set keeps every field where it is; only a new field of ours is appended.
      if (Object.keys(changes).length > 0)
        operations.push({ updateOne: { filter: { _id: current._id }, update: { $set: changes } } });
    }
    if (operations.length === 0) return { inserted: 0, updated: 0, unchanged: streams.length };

    try {
      const result = await guarded(timeoutMs, () => holodules.bulkWrite(operations, { ordered: false }));
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
    // The key index is unique: whatever holds the target key goes first, as an upsert would have replaced it.
    await guarded(timeoutMs, () =>
      holodules.deleteOne({ key: stream.key, _id: { $ne: old._id } }, { maxTimeMS: timeoutMs }),
    );
    const changes = changedFields(old, wantedFields(old, stream));
    try {
      await guarded(timeoutMs, () =>
        holodules.updateOne({ _id: old._id }, { $set: changes }, { maxTimeMS: timeoutMs }),
      );
    } catch (err) {
      // Another writer took the target key between our delete and our update: clear it again.
      if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY) || racesLeft === 0) throw err;
      return moveRun(fromKey, stream, racesLeft - 1);
    }
    return 'updated';
  }

  return {
    findByDay(day) {
      const { filter, sort } = dayQuery(day);
      return guarded(timeoutMs, async () =>
        (await holodules.find(filter, WITHOUT_ID).sort(sort).maxTimeMS(timeoutMs).toArray()).map(toStream),
      );
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

/** Gives documents written before the facet fields (the original's, or an older holodule's) their facets. */
export async function addFacetFields(holodules: Collection): Promise<number> {
  let filled = 0;
  for (;;) {
    const batch = await holodules
      .find({ _status: { $exists: false } })
      .limit(500)
      .toArray();
    if (batch.length === 0) return filled;
    await holodules.bulkWrite(
      batch.map((doc) => ({ updateOne: { filter: { _id: doc._id }, update: { $set: facetFields(toStream(doc)) } } })),
      { ordered: false },
    );
    filled += batch.length;
  }
}
