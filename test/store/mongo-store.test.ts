import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { dayJson } from '../../src/store/day-answer.js';
import { uidOfDocumentId } from '../../src/store/mongo/documents.js';
import { DAY_ANSWERS_COLLECTION } from '../../src/store/mongo/mongo-day-answers.js';
import { MongoDataError } from '../../src/store/mongo/indexes.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { dayQuery, streamQuery } from '../../src/store/mongo/mongo-streams.js';
import type { Store, StreamQuery } from '../../src/store/types.js';
import { makeStream } from '../support/streams.js';
import { mongoSettings, testMongo, type TestMongo } from '../support/mongo-server.js';
import { describeStoreContract } from './store-contract.js';

const mongo = await testMongo();

if (mongo) {
  describeStoreContract('mongodb', async () => {
    const database = mongo.freshDatabaseName();
    const sut = await openMongoStore(mongoSettings(mongo.url, database));
    const others: Store[] = [];
    return {
      sut,
      another: async () => {
        const other = await openMongoStore(mongoSettings(mongo.url, database));
        others.push(other);
        return other;
      },
      cleanup: async () => {
        for (const other of others) await other.close();
        await sut.close();
        await mongo.dropDatabase(database);
      },
    };
  });
  describeMongoSpecifics(mongo);
}

/** A raw database handle beside the store, to lay out and inspect documents as the original wrote them. */
async function rawDatabase(
  server: TestMongo,
  t: { after: (fn: () => Promise<void>) => void },
): Promise<{ db: Db; name: string }> {
  const name = server.freshDatabaseName();
  const client = await new MongoClient(server.url).connect();
  t.after(async () => {
    await client.close();
    await server.dropDatabase(name);
  });
  return { db: client.db(name), name };
}

function describeMongoSpecifics(server: TestMongo): void {
  describe('mongodb store, in the original database', () => {
    it('writes new stream documents with _id first, then the contract fields in order, then ours', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      await sut.streams.upsertMany([makeStream('20201209 230000', { liveStatus: 'upcoming' })]);

      const doc = await db.collection('holodules').findOne({});
      assert.deepEqual(Object.keys(doc ?? {}), [
        '_id',
        'key',
        'video_id',
        'datetime',
        'name',
        'title',
        'url',
        'description',
        'live_status',
      ]);
      assert.ok(doc?._id instanceof ObjectId);
    });

    it("when the original's database has streams but no day answers yet, then the first read builds and keeps one", async (t) => {
      const { db, name } = await rawDatabase(server, t);
      await db.collection('holodules').insertMany([
        {
          key: 'HL0503_20201209_230000',
          video_id: 'a',
          datetime: '20201209 230000',
          name: 'n',
          title: 't',
          url: 'u',
          description: '',
        },
        {
          key: 'HL0503_20201209_120000',
          video_id: 'b',
          datetime: '20201209 120000',
          name: 'n',
          title: 'u',
          url: 'u',
          description: '',
        },
      ]);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      const answer = await sut.streams.findDayAnswer('20201209', 'gzip');

      assert.equal(gunzipSync(answer!.body).toString(), dayJson(await sut.streams.findByDay('20201209')));
      const kept = await db.collection(DAY_ANSWERS_COLLECTION).findOne({ _id: '20201209' as never });
      assert.equal(kept?.tag, answer?.tag);
      assert.equal(await sut.streams.findDayAnswer('20201210', 'gzip'), null);
    });

    it('keeps unknown fields and field order of an existing document when it updates it', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const original = {
        _id: new ObjectId(),
        key: 'HL0503_20201209_230000',
        video_id: 'yEttl2nfhsQ',
        datetime: '20201209 230000',
        name: '尾丸ポルカ',
        title: 'old title',
        url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
        description: 'desc',
        someone_elses: { nested: [1, 2] },
      };
      await db.collection('holodules').insertOne(original);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      const { extra: _, ...stream } = (await sut.streams.findByKey(original.key))!;
      const counts = await sut.streams.upsertMany([{ ...stream, title: 'new title', liveStatus: 'live' }]);

      assert.deepEqual(counts, { inserted: 0, updated: 1, unchanged: 0 });
      const doc = await db.collection('holodules').findOne({ _id: original._id });
      assert.deepEqual(doc, { ...original, title: 'new title', live_status: 'live' });
      assert.deepEqual(Object.keys(doc ?? {}), [...Object.keys(original), 'live_status']);
    });

    it('reads a user of the original as it is, adds only its uid, and changes only the password field', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const original = { _id: new ObjectId(), id: '1', username: 'user01', password: 'password01', note: 'from 2020' };
      await db.collection('users').insertOne(original);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      const uid = uidOfDocumentId(original._id);
      assert.deepEqual(await sut.users.findByUsername('user01'), {
        id: '1',
        username: 'user01',
        password: 'password01',
        uid,
        role: 'user',
        disabled: false,
        tokenVersion: 0,
        extra: { note: 'from 2020' },
      });
      assert.equal(await sut.users.replacePassword('user01', '$argon2id$v=19$m=19456,t=2,p=1$x$y', 'password01'), true);

      assert.deepEqual(await db.collection('users').findOne({ _id: original._id }), {
        ...original,
        password: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
        uid,
      });
    });

    it('gives the original users a uid at start-up, the same whichever of several instances starting at once does it', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const originals = ['user01', 'user02', 'user03'].map((username, i) => ({
        _id: new ObjectId(),
        id: String(i + 1),
        username,
        password: 'password01',
      }));
      await db.collection('users').insertMany(originals);

      const instances = await Promise.all([1, 2, 3].map(() => openMongoStore(mongoSettings(server.url, name))));
      t.after(() => Promise.all(instances.map((i) => i.close())));

      const stored = await db.collection('users').find({}).sort({ username: 1 }).toArray();
      assert.deepEqual(
        stored.map((d) => d.uid),
        originals.map((o) => uidOfDocumentId(o._id)),
      );
      for (const instance of instances) {
        for (const doc of stored) assert.equal((await instance.users.findByUid(doc.uid))?.username, doc.username);
      }
      assert.equal(new Set(stored.map((d) => d.uid)).size, 3);
      assert.equal(stored.filter((d) => d.created_at !== undefined).length, 0, 'no creation time is made up');
    });

    it('lets the original app insert users without a uid beside ours, and gives each one on first read', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const [a, b] = await Promise.all([1, 2].map(() => openMongoStore(mongoSettings(server.url, name))));
      t.after(async () => {
        await a!.close();
        await b!.close();
      });
      const byHand = [
        { _id: new ObjectId(), id: '8', username: 'user08', password: 'p' },
        { _id: new ObjectId(), id: '9', username: 'user09', password: 'p' },
      ];
      await db.collection('users').insertMany(byHand, { ordered: true });

      const [fromA, fromB] = await Promise.all([a!.users.findByUsername('user08'), b!.users.findByUsername('user08')]);
      assert.equal(fromA?.uid, uidOfDocumentId(byHand[0]!._id));
      assert.equal(fromB?.uid, fromA?.uid);
      assert.equal((await b!.users.findByUid(fromA!.uid))?.username, 'user08');
      assert.equal((await db.collection('users').findOne({ username: 'user09' }))?.uid, undefined, 'not read yet');
    });

    it('only reads a migration source: users without a uid are listed with the one they would get', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const original = { _id: new ObjectId(), id: '1', username: 'user01', password: 'password01' };
      await db.collection('users').insertOne(original);
      const sut = await openMongoStore(mongoSettings(server.url, name), { readOnly: true });
      t.after(() => sut.close());

      assert.deepEqual(
        (await sut.users.list()).map((u) => u.uid),
        [uidOfDocumentId(original._id)],
      );
      assert.deepEqual(await db.collection('users').findOne({ _id: original._id }), original);
    });

    it('writes new users in the original shape: _id, id, username, password, then ours', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      await sut.users.create({ id: '7', username: 'user07', password: 'hash', extra: { role: 'admin' } });
      await sut.users.insertIfAbsent({ id: '8', username: 'user08', password: 'hash' });

      const docs = await db.collection('users').find({}).sort({ username: 1 }).toArray();
      assert.deepEqual(
        docs.map((d) => Object.keys(d)),
        [
          ['_id', 'id', 'username', 'password', 'uid', 'created_at', 'role'],
          ['_id', 'id', 'username', 'password', 'uid', 'created_at'],
        ],
      );
    });

    it('creates the unique username and stream key indexes and the day index on start', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      const users = await db.collection('users').indexes();
      const holodules = await db.collection('holodules').indexes();

      assert.ok(users.some((i) => JSON.stringify(i.key) === '{"username":1}' && i.unique === true));
      assert.ok(holodules.some((i) => JSON.stringify(i.key) === '{"key":1}' && i.unique === true));
      assert.ok(holodules.some((i) => JSON.stringify(i.key) === '{"datetime":-1,"key":-1}'));
    });

    it('answers the day query from the day index, without an in-memory sort (real MongoDB only)', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());
      await sut.streams.upsertMany(
        Array.from({ length: 20 }, (_, i) => makeStream(`202012${String(i + 1).padStart(2, '0')} 230000`)),
      );
      const { filter, sort } = dayQuery('20201209');

      const plan = await db.collection('holodules').find(filter).sort(sort).explain('queryPlanner');

      if ((plan.serverInfo as { ferretdbVersion?: string } | undefined)?.ferretdbVersion) {
        t.skip('FerretDB does not push range filters or sorts down to an index (see docs/mongodb.md)');
        return;
      }
      const winning = JSON.stringify(plan.queryPlanner?.winningPlan ?? plan);
      assert.match(winning, /IXSCAN/);
      assert.match(winning, /datetime_-1_key_-1/);
      assert.doesNotMatch(winning, /"stage":"SORT"/);
    });

    it('answers every shape of v2 query from an index, not a collection scan (on MongoDB itself)', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());
      const base = { fromUtc: '2020-12-01T00:00:00.000Z', toUtc: '2020-12-08T00:00:00.000Z', limit: 51 } as const;
      const shapes: StreamQuery[] = [
        { ...base, order: 'asc' },
        { ...base, order: 'desc', after: { start: '2020-12-03T00:00:00.000Z', key: 'HL0503_20201203_090000' } },
        { ...base, order: 'asc', talents: ['HL0503', 'HL0301'] },
        { ...base, order: 'asc', statuses: ['live'] },
        { ...base, order: 'asc', text: { needle: 'minecraft', talents: ['HL0301'] } },
        { ...base, order: 'desc', talents: ['HL0503'], statuses: ['upcoming'] },
      ];
      for (const shape of shapes) {
        const { filter, sort, limit } = streamQuery(shape);
        const plan = await db.collection('holodules').find(filter).sort(sort).limit(limit).explain('queryPlanner');
        if ((plan.serverInfo as { ferretdbVersion?: string } | undefined)?.ferretdbVersion) {
          t.skip('FerretDB does not push range filters or sorts down to an index (see docs/mongodb.md)');
          return;
        }
        const winning = JSON.stringify(plan.queryPlanner?.winningPlan ?? plan);
        assert.match(winning, /IXSCAN/, JSON.stringify(shape));
        assert.doesNotMatch(winning, /COLLSCAN/, JSON.stringify(shape));
      }
    });

    it('starts again on a database it set up before, with its data and without doubling an index', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const first = await openMongoStore(mongoSettings(server.url, name));
      await first.users.create({ id: '1', username: 'user01', password: 'p' });
      await first.close();

      const sut = await openMongoStore(mongoSettings(server.url, name));
      t.after(() => sut.close());

      assert.equal((await sut.users.findByUsername('user01'))?.id, '1');
      assert.deepEqual((await db.collection('users').indexes()).map((i) => i.name).sort(), [
        '_id_',
        'uid_1',
        'username_1',
      ]);
    });

    it('refuses to start on duplicate usernames and stream keys, names the documents, and creates no index', async (t) => {
      const { db, name } = await rawDatabase(server, t);
      const [first, second] = [new ObjectId(), new ObjectId()];
      await db.collection('users').insertMany([
        { _id: first, id: '1', username: 'user01', password: 'a' },
        { _id: second, id: '2', username: 'user01', password: 'b' },
      ]);
      const stream = makeStream('20201209 230000');
      await db.collection('holodules').insertMany([{ ...stream }, { ...stream, video_id: 'other000000' }]);

      await assert.rejects(openMongoStore(mongoSettings(server.url, name)), (err: unknown) => {
        assert.ok(err instanceof MongoDataError);
        assert.match(err.message, /nothing was changed/);
        assert.match(
          err.message,
          new RegExp(`users\\.username "user01": 2 documents \\(_id (${first}, ${second}|${second}, ${first})\\)`),
        );
        assert.match(err.message, new RegExp(`holodules\\.key "${stream.key}": 2 documents`));
        assert.match(err.message, /deleteOne/);
        return true;
      });
      assert.deepEqual(
        (await db.collection('users').indexes()).map((i) => i.name),
        ['_id_'],
      );
      assert.deepEqual(
        (await db.collection('holodules').indexes()).map((i) => i.name),
        ['_id_'],
      );
    });

    it('counts concurrent upserts of the same new streams exactly: each stream is inserted once', async (t) => {
      const { name } = await rawDatabase(server, t);
      const [a, b] = [
        await openMongoStore(mongoSettings(server.url, name)),
        await openMongoStore(mongoSettings(server.url, name)),
      ];
      t.after(async () => {
        await a.close();
        await b.close();
      });
      const streams = Array.from({ length: 40 }, (_, i) => makeStream(`20201209 ${String(100000 + i)}`));

      const [fromA, fromB] = await Promise.all([a.streams.upsertMany(streams), b.streams.upsertMany(streams)]);

      assert.equal(fromA.inserted + fromB.inserted, streams.length);
      assert.equal(fromA.inserted + fromA.updated + fromA.unchanged, streams.length);
      assert.equal(fromB.inserted + fromB.updated + fromB.unchanged, streams.length);
      assert.equal(await a.streams.count(), streams.length);
    });
  });
}
