// The indexes holodule needs, created on start. Existing data that breaks a unique one stops start-up
// with the offending documents named, before any index is created (so nothing changes).
import { MongoServerError, type Db, type IndexSpecification } from 'mongodb';
import { AUTH_COLLECTIONS } from './mongo-auth.js';
import { CHANGES_COLLECTION, USED_TICKETS_COLLECTION } from './mongo-changes.js';
import { COUNTERS_COLLECTION } from './mongo-counters.js';
import { CREDENTIALS_COLLECTION } from './mongo-credentials.js';
import { FAVOURITES_COLLECTION } from './mongo-favourites.js';

interface IndexPlan {
  collection: string;
  keys: IndexSpecification;
  unique: boolean;
  /** For unique indexes: the field whose values must be distinct. */
  field?: string;
  /** Documents without the field are left out (so any number of them may lack it). */
  sparse?: boolean;
}

// Default index names (`username_1`, …) so an index someone already made by hand is recognised, not doubled.
export const INDEXES: readonly IndexPlan[] = [
  { collection: 'users', keys: { username: 1 }, unique: true, field: 'username' },
  // What a token's `sub` names. Sparse: a user the original app (or a person) inserts has none until we meet it.
  { collection: 'users', keys: { uid: 1 }, unique: true, field: 'uid', sparse: true },
  { collection: 'holodules', keys: { key: 1 }, unique: true, field: 'key' },
  // The day query: a datetime range sorted datetime desc, key desc, answered from this index without a sort; the
  // v2 queries too (a datetime range in either order), and a talent's streams by the key's prefix on key_1.
  { collection: 'holodules', keys: { datetime: -1, key: -1 }, unique: false },
  { collection: 'holodules', keys: { video_id: 1 }, unique: false },
  // Our own auth collections (their _id is the token id, kid or counter key, unique by itself).
  { collection: AUTH_COLLECTIONS.refresh, keys: { family: 1 }, unique: false },
  { collection: AUTH_COLLECTIONS.refresh, keys: { expires_at: 1 }, unique: false },
  { collection: AUTH_COLLECTIONS.revoked, keys: { expires_at: 1 }, unique: false },
  { collection: AUTH_COLLECTIONS.failures, keys: { last_at: 1 }, unique: false },
  // Pruning ended windows of the anonymous read limit.
  { collection: COUNTERS_COLLECTION, keys: { reset_at: 1 }, unique: false },
  // Pruning the change log by age, and used events tickets past their expiry (the log is read by _id).
  { collection: CHANGES_COLLECTION, keys: { at: 1 }, unique: false },
  { collection: USED_TICKETS_COLLECTION, keys: { expires_at: 1 }, unique: false },
  // API keys and feeds: found by the secret's hash on every use; listed per user.
  { collection: CREDENTIALS_COLLECTION, keys: { kind: 1, hash: 1 }, unique: true },
  { collection: CREDENTIALS_COLLECTION, keys: { user_id: 1, kind: 1, created_at: 1 }, unique: false },
  // A user's favourite talents, listed in code order (the _id holds the pair, so it is unique by itself).
  { collection: FAVOURITES_COLLECTION, keys: { user_id: 1, code: 1 }, unique: false },
];

const SHOWN_VALUES = 10;
const SHOWN_IDS = 5;

/** Start-up cannot go on until someone fixes the data or the indexes; the message says how. */
export class MongoDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MongoDataError';
  }
}

interface Duplicate {
  collection: string;
  field: string;
  value: unknown;
  count: number;
  ids: string[];
}

async function findDuplicates(db: Db, collection: string, field: string, sparse: boolean): Promise<Duplicate[]> {
  // $push is not available everywhere (FerretDB), so group for the values, then look up their documents.
  const groups = await db
    .collection(collection)
    .aggregate<{ _id: unknown; count: number }>([
      { $group: { _id: `$${field}`, count: { $sum: 1 } } },
      // A sparse index leaves out documents without the field: many of them are no duplicate.
      { $match: sparse ? { count: { $gt: 1 }, _id: { $ne: null } } : { count: { $gt: 1 } } },
      { $sort: { _id: 1 } },
      { $limit: SHOWN_VALUES },
    ])
    .toArray();
  const found: Duplicate[] = [];
  for (const group of groups) {
    const value = group._id ?? null;
    const docs = await db
      .collection(collection)
      .find({ [field]: value }, { projection: { _id: 1 } })
      .limit(SHOWN_IDS)
      .toArray();
    found.push({ collection, field, value, count: group.count, ids: docs.map((d) => String(d._id)) });
  }
  return found;
}

const NAMESPACE_NOT_FOUND = 26;

async function hasIndex(db: Db, plan: IndexPlan): Promise<boolean> {
  try {
    const indexes = await db.collection(plan.collection).indexes();
    return indexes.some(
      (i) => JSON.stringify(i.key) === JSON.stringify(plan.keys) && (i.unique === true) === plan.unique,
    );
  } catch (err) {
    if (err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND) return false;
    throw err;
  }
}

function describeDuplicates(database: string, duplicates: Duplicate[]): string {
  const lines = duplicates.map((d) => {
    const value = d.value === null ? '(missing)' : JSON.stringify(d.value);
    const more = d.count > d.ids.length ? `, …` : '';
    return `  ${d.collection}.${d.field} ${value}: ${d.count} documents (_id ${d.ids.join(', ')}${more})`;
  });
  const example = duplicates[0]!;
  return [
    `MongoDB database "${database}" has documents that share a value holodule needs to be unique; nothing was changed:`,
    ...lines,
    'Keep one document per value and delete or rename the others, e.g. in mongosh:',
    `  db.${example.collection}.deleteOne({ _id: ObjectId("${example.ids.at(-1)}") })`,
    'then start holodule again.',
  ].join('\n');
}

/** Checks the data for every unique index; with `create`, then creates the indexes that are missing. */
export async function ensureIndexes(db: Db, options: { create: boolean } = { create: true }): Promise<void> {
  const duplicates: Duplicate[] = [];
  for (const plan of INDEXES) {
    // Once the unique index exists there can be no duplicates: restarts skip the scan of the collection.
    if (plan.unique && plan.field && !(await hasIndex(db, plan))) {
      duplicates.push(...(await findDuplicates(db, plan.collection, plan.field, plan.sparse ?? false)));
    }
  }
  if (duplicates.length > 0) throw new MongoDataError(describeDuplicates(db.databaseName, duplicates));
  if (!options.create) return;

  for (const plan of INDEXES) {
    try {
      await db
        .collection(plan.collection)
        .createIndex(plan.keys, { ...(plan.unique ? { unique: true } : {}), ...(plan.sparse ? { sparse: true } : {}) });
    } catch (err) {
      throw indexError(db, plan, err);
    }
  }
}

function indexError(db: Db, plan: IndexPlan, err: unknown): unknown {
  if (!(err instanceof MongoServerError)) return err;
  const keys = JSON.stringify(plan.keys);
  // 85/86: an index on these keys exists with other options or another name (e.g. a non-unique one made by hand).
  if (err.code === 85 || err.code === 86) {
    return new MongoDataError(
      `MongoDB database "${db.databaseName}": collection ${plan.collection} already has an index on ${keys} ` +
        `that differs from the ${plan.unique ? 'unique ' : ''}one holodule needs; drop it ` +
        `(db.${plan.collection}.getIndexes() shows it, db.${plan.collection}.dropIndex(NAME) removes it) and start again`,
    );
  }
  // 11000: a duplicate arrived between our check and the index build.
  if (err.code === 11000) {
    return new MongoDataError(
      `MongoDB database "${db.databaseName}": documents in ${plan.collection} share a ${plan.field ?? keys} value; ` +
        'start holodule again to have them listed',
    );
  }
  return err;
}
