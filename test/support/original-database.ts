// A MongoDB database laid out exactly as the original app wrote it: the mongoexport fixtures, loaded as they are.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BSON, MongoClient, type Db, type Document } from 'mongodb';
import type { TestMongo } from './mongo-server.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/mongoexport/', import.meta.url));

export function readExport(name: 'users' | 'holodules'): Document[] {
  return readFileSync(`${FIXTURES}${name}.json`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => BSON.EJSON.parse(line, { relaxed: false }) as Document);
}

export interface OriginalDatabase {
  name: string;
  db: Db;
  /** Every document of a collection, in insertion order, as extended JSON (field order included). */
  snapshot(collection: 'users' | 'holodules'): Promise<string[]>;
}

/** Loads the fixtures (plus `extraStreams`) into a fresh database; dropped when the test ends. */
export async function layOutOriginalDatabase(
  server: TestMongo,
  t: { after: (fn: () => Promise<void>) => void },
  extraStreams: Document[] = [],
): Promise<OriginalDatabase> {
  const name = server.freshDatabaseName();
  const client = await new MongoClient(server.url).connect();
  t.after(async () => {
    await client.close();
    await server.dropDatabase(name);
  });
  const db = client.db(name);
  await db.collection('users').insertMany(readExport('users'));
  await db.collection('holodules').insertMany([...readExport('holodules'), ...extraStreams]);
  return {
    name,
    db,
    async snapshot(collection) {
      const docs = await db.collection(collection).find({}).sort({ _id: 1 }).toArray();
      return docs.map((d) => BSON.EJSON.stringify(d, { relaxed: false }));
    },
  };
}
