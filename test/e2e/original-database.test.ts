// holodule started on the original app's MongoDB database, with the original's settings, answers the contract.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON } from 'mongodb';
import { exitOf, startServeProcess } from '../support/cli.js';
import { uidOfDocumentId } from '../../src/store/mongo/documents.js';
import { decode } from '../support/jwt-decode.js';
import { testMongo, testMongoWithAuth, type TestMongo } from '../support/mongo-server.js';
import { layOutOriginalDatabase } from '../support/original-database.js';
import { makeTempDir } from '../support/temp-dir.js';

const SECRET = 'the-original-deployment-secret-of-32-bytes-or-more';
// The original's deployment: a MongoDB with a user in admin, reached with MONGODB_HOST/USER/PASSWORD
// (on a server given by HOLODULE_TEST_MONGODB_URL, which we cannot add users to, by that URL instead).
const mongo = process.env.HOLODULE_TEST_MONGODB_URL
  ? await testMongo()
  : await testMongoWithAuth({ username: 'holoapi', password: 'original-password' });

if (mongo) describeOriginalDatabase(mongo);

function describeOriginalDatabase(server: TestMongo): void {
  describe("the original's database, end to end", () => {
    it('logs in a plain-text user, serves the schedule, upgrades only that password, and leaves the streams untouched', async (t) => {
      const withUnknownFields = {
        _id: new BSON.ObjectId(),
        key: 'HL0G02_20201209_180000',
        video_id: 'mIoMiOmIo01',
        datetime: '20201209 180000',
        name: '大神ミオ',
        title: 'タロット占い',
        url: 'https://www.youtube.com/watch?v=mIoMiOmIo01',
        description: 'ミオです',
        thumbnail: 'https://img.youtube.com/vi/mIoMiOmIo01/mqdefault.jpg',
        collected_at: new Date('2020-12-09T03:00:00Z'),
      };
      const original = await layOutOriginalDatabase(server, t, [withUnknownFields]);
      const streamsBefore = await original.snapshot('holodules');
      const usersBefore = await original.db.collection('users').find({}).sort({ _id: 1 }).toArray();
      const dir = makeTempDir();
      t.after(() => dir.remove());

      const where: Record<string, string> = server.credentials
        ? {
            MONGODB_HOST: server.host,
            MONGODB_USER: server.credentials.username,
            MONGODB_PASSWORD: server.credentials.password,
          }
        : { MONGODB_URL: server.url };
      const { child, url } = await startServeProcess({
        ...where,
        HOLODULE_MONGODB_DATABASE: original.name,
        JWT_SECRET_KEY: SECRET,
        PORT: '0',
        HOLODULE_DATA_DIR: dir.path,
      });
      t.after(async () => {
        child.kill('SIGTERM');
        await exitOf(child);
      });

      const auth = await fetch(`${url}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'user01', password: 'password01' }),
      });
      assert.equal(auth.status, 200);
      const { access_token: token } = (await auth.json()) as { access_token: string };
      assert.equal(decode(token).payload.identity, 'user01');

      const day = await fetch(`${url}/holodules/20201209`, { headers: { authorization: `JWT ${token}` } });
      assert.equal(day.status, 200);
      const body = (await day.json()) as { result: number; holodules: Array<Record<string, string>> };
      assert.equal(body.result, 3);
      assert.deepEqual(
        body.holodules.map((s) => s.key),
        ['HL0503_20201209_230000', 'HL0501_20201209_220000', 'HL0G02_20201209_180000'],
      );
      const { _id, thumbnail, collected_at, ...contractFields } = withUnknownFields;
      assert.deepEqual(body.holodules[2], contractFields);
      assert.deepEqual(Object.keys(body.holodules[2]!), [
        'key',
        'video_id',
        'datetime',
        'name',
        'title',
        'url',
        'description',
      ]);

      const empty = await fetch(`${url}/holodules/20201211`, { headers: { authorization: `JWT ${token}` } });
      assert.equal(empty.status, 404);
      assert.deepEqual(await empty.json(), { error: 'Not found' });

      const usersAfter = await original.db.collection('users').find({}).sort({ _id: 1 }).toArray();
      const [user01Before, user02Before] = usersBefore;
      const [user01After, user02After] = usersAfter;
      assert.match(String(user01After?.password), /^\$argon2id\$/);
      // Beside the original's fields, only the uid tokens name the user by (docs/security.md).
      assert.deepEqual(
        { ...user01After, password: 'password01' },
        { ...user01Before, uid: uidOfDocumentId(user01Before?._id) },
      );
      assert.deepEqual(Object.keys(user01After ?? {}), ['_id', 'id', 'username', 'password', 'uid']);
      assert.deepEqual(
        user02After,
        { ...user02Before, uid: uidOfDocumentId(user02Before?._id) },
        'a user who has not logged in keeps the plain text',
      );
      assert.deepEqual(await original.snapshot('holodules'), streamsBefore, 'reads change no stream document');

      const again = await fetch(`${url}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'user01', password: 'password01' }),
      });
      assert.equal(again.status, 200, 'the same password works against the new hash');
    });
  });
}
