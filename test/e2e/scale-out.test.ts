// Two holodule processes on one MongoDB database, as behind a load balancer: one state, no matter which answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { exitOf, runCli, startServeProcess } from '../support/cli.js';
import { testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';

const SECRET = 'one-secret-shared-by-every-instance-32-bytes';
const mongo = await testMongo();

if (mongo) describeScaleOut(mongo);

type Instance = { url: string };

async function login(
  instance: Instance,
  username: string,
  password: string,
): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${instance.url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { access_token?: string };
  return body.access_token === undefined ? { status: res.status } : { status: res.status, token: body.access_token };
}

async function schedule(instance: Instance, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${instance.url}/holodules/20201209`, { headers: { authorization: `JWT ${token}` } });
  return { status: res.status, body: await res.json() };
}

function describeScaleOut(server: TestMongo): void {
  describe('two instances on one MongoDB', () => {
    async function setUp(t: { after: (fn: () => Promise<void> | void) => void }) {
      const database = server.freshDatabaseName();
      t.after(() => server.dropDatabase(database));
      const shared = { MONGODB_URL: server.url, HOLODULE_MONGODB_DATABASE: database, JWT_SECRET_KEY: SECRET };
      const cli = (args: string[], stdin?: string) => {
        const dir = makeTempDir();
        t.after(() => dir.remove());
        return runCli(args, {
          env: { ...shared, HOLODULE_DATA_DIR: dir.path },
          ...(stdin === undefined ? {} : { stdin }),
        });
      };
      const start = async (): Promise<Instance> => {
        const dir = makeTempDir();
        const { child, url } = await startServeProcess({ ...shared, PORT: '0', HOLODULE_DATA_DIR: dir.path });
        t.after(async () => {
          child.kill('SIGTERM');
          await exitOf(child);
          dir.remove();
        });
        return { url };
      };
      const client = await new MongoClient(server.url).connect();
      t.after(() => client.close());
      return { cli, start, db: client.db(database) };
    }

    it('accepts a token issued by one on the other, and a password change or removal applies to both at once', async (t) => {
      const { cli, start, db } = await setUp(t);
      assert.equal((await cli(['user', 'add', 'user01'], 'password01\n')).code, 0);
      await db.collection('holodules').insertOne({ ...makeStream('20201209 230000') });
      const [a, b] = await Promise.all([start(), start()]);

      const fromA = await login(a, 'user01', 'password01');
      assert.equal(fromA.status, 200);
      assert.equal((await schedule(b, fromA.token!)).status, 200, 'B accepts the token A issued');

      assert.equal((await cli(['user', 'passwd', 'user01'], 'password02\n')).code, 0);
      assert.equal((await login(a, 'user01', 'password01')).status, 401);
      assert.equal((await login(b, 'user01', 'password01')).status, 401);
      assert.equal((await login(a, 'user01', 'password02')).status, 200);
      const fromB = await login(b, 'user01', 'password02');
      assert.equal(fromB.status, 200);

      assert.equal((await cli(['user', 'remove', 'user01'])).code, 0);
      const gone = { status_code: 401, error: 'Invalid JWT', description: 'User does not exist' };
      assert.deepEqual(await schedule(a, fromB.token!), { status: 401, body: gone });
      assert.deepEqual(await schedule(b, fromB.token!), { status: 401, body: gone });
    });

    it('applies what an admin does on one instance (reset a password, log out, delete) on the other at once', async (t) => {
      const { cli, start, db } = await setUp(t);
      assert.equal((await cli(['user', 'add', 'admin', '--admin'], 'admin-password\n')).code, 0);
      await db.collection('holodules').insertOne({ ...makeStream('20201209 230000') });
      const [a, b] = await Promise.all([start(), start()]);
      const admin = (await login(a, 'admin', 'admin-password')).token!;
      const asAdmin = (instance: Instance, method: string, path: string, body?: unknown) =>
        fetch(`${instance.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${admin}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });

      assert.equal((await asAdmin(a, 'POST', '/users', { username: 'user01', password: 'password01' })).status, 201);
      const before = (await login(b, 'user01', 'password01')).token!;
      assert.equal(
        (await schedule(a, before)).status,
        200,
        "a user created on A logs in on B, and B's token works on A",
      );

      assert.equal((await asAdmin(a, 'PUT', '/users/user01/password', { password: 'password02' })).status, 204);
      assert.equal((await schedule(b, before)).status, 401, 'the reset on A ends the tokens B issued');
      assert.equal((await login(b, 'user01', 'password01')).status, 401);
      const after = (await login(b, 'user01', 'password02')).token!;

      const logout = await fetch(`${a.url}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `JWT ${after}` },
      });
      assert.equal(logout.status, 204);
      assert.deepEqual((await schedule(b, after)).body, {
        status_code: 401,
        error: 'Invalid token',
        description: 'Token has been revoked',
      });

      const last = (await login(a, 'user01', 'password02')).token!;
      assert.equal((await asAdmin(b, 'DELETE', '/users/user01')).status, 204);
      assert.deepEqual(await schedule(a, last), {
        status: 401,
        body: { status_code: 401, error: 'Invalid JWT', description: 'User does not exist' },
      });
    });

    it("lets both instances log in the original's plain-text user at the same moment, and keeps one valid hash", async (t) => {
      const { start, db } = await setUp(t);
      await db.collection('users').insertOne({ id: '1', username: 'user01', password: 'password01' });
      const [a, b] = await Promise.all([start(), start()]);

      const both = await Promise.all([login(a, 'user01', 'password01'), login(b, 'user01', 'password01')]);

      assert.deepEqual(
        both.map((r) => r.status),
        [200, 200],
      );
      assert.match(String((await db.collection('users').findOne({ username: 'user01' }))?.password), /^\$argon2id\$/);
      assert.equal((await login(b, 'user01', 'password01')).status, 200);
      assert.equal((await login(a, 'user01', 'password01')).status, 200);
    });
  });
}
