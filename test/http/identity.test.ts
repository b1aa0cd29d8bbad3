// Who a token names, and what ends it: user ids in `sub`, the original app's tokens, logout ending the whole login, over HTTP (again on MongoDB in on-mongodb.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MongoClient, ObjectId } from 'mongodb';
import { decode } from '../support/jwt-decode.js';
import { makeStream } from '../support/streams.js';
import { call, nowSeconds, startTestApp, TEST_STORE, type TestServer } from '../support/test-server.js';

const userGone = { status_code: 401, error: 'Invalid JWT', description: 'User does not exist' };
const revoked = { status_code: 401, error: 'Invalid token', description: 'Token has been revoked' };
const invalidToken = (description: string) => ({ status_code: 401, error: 'Invalid token', description });

/** A user written the original app's way, straight into the database: no uid, no creation time, plain text. */
async function addOriginalUser(sut: TestServer, username: string, password: string): Promise<void> {
  if (TEST_STORE === 'sqlite') {
    const db = new Database(sut.config.sqlitePath);
    try {
      db.prepare('INSERT INTO users (username, id, password) VALUES (?, ?, ?)').run(username, '500', password);
    } finally {
      db.close();
    }
    return;
  }
  const client = await new MongoClient(sut.config.mongo.url!).connect();
  try {
    await client
      .db(sut.config.mongo.database)
      .collection('users')
      .insertOne({ _id: new ObjectId(), id: '500', username, password });
  } finally {
    await client.close();
  }
}

describe('identity: tokens name a user by an id that is never reused', () => {
  let sut: TestServer;
  let admin: string;
  before(async () => {
    sut = await startTestApp();
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    await sut.addUser('root', 'password01', { role: 'admin' });
    admin = await sut.login('root', 'password01');
  });
  after(() => sut.close());

  const me = (token: string) => call(`${sut.url}/me`, 'GET', { token });
  const day = (token: string) => call(`${sut.url}/holodules/20201209`, 'GET', { token });
  const refresh = (token: string) => call(`${sut.url}/auth/refresh`, 'POST', { body: { refresh_token: token } });
  const createUser = (username: string, password: string) =>
    call(`${sut.url}/users`, 'POST', { token: admin, body: { username, password } });

  it("when bob is deleted and a new bob made, then the old bob's access and refresh tokens are refused", async () => {
    assert.equal((await createUser('bob', 'password-one')).status, 201);
    const old = await sut.loginPair('bob', 'password-one');
    assert.equal((await me(old.access_token)).status, 200);

    assert.equal((await call(`${sut.url}/users/bob`, 'DELETE', { token: admin })).status, 204);
    assert.equal((await createUser('bob', 'password-two')).status, 201);

    for (const res of [await me(old.access_token), await day(old.access_token), await refresh(old.refresh_token)]) {
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, userGone);
    }
    const newBob = await sut.login('bob', 'password-two');
    assert.equal((await me(newBob)).body.username, 'bob');
  });

  it("carries the user's uid as sub and the username as identity", async () => {
    await sut.addUser('carol', 'password01');
    const { access_token, refresh_token } = await sut.loginPair('carol', 'password01');
    const uid = (await sut.store.users.findByUsername('carol'))!.uid;
    for (const token of [access_token, refresh_token]) {
      const { payload } = decode(token);
      assert.equal(payload.sub, uid);
      assert.equal(payload.identity, 'carol');
    }
  });

  it('refuses tokens made before uids (sub = the username), even for the same user', async () => {
    await sut.addUser('dave', 'password01');
    const iat = nowSeconds();
    const before = { iat, nbf: iat, identity: 'dave', sub: 'dave', jti: randomUUID(), ver: 0, fam: randomUUID() };
    const access = sut.signRaw({ ...before, exp: iat + 300, type: 'access' });
    const refreshToken = sut.signRaw({ ...before, exp: iat + 86400, type: 'refresh' });
    assert.deepEqual((await day(access)).body, userGone);
    assert.deepEqual((await refresh(refreshToken)).body, userGone);
  });
});

describe("the original app's tokens: exp, iat, nbf and identity only", () => {
  let sut: TestServer;
  before(async () => {
    sut = await startTestApp();
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
  });
  after(() => sut.close());

  const day = (token: string) => call(`${sut.url}/holodules/20201209`, 'GET', { token });
  const originalToken = (identity: string, iat = nowSeconds()) =>
    sut.signRaw({ exp: iat + 300, iat, nbf: iat, identity });

  it('work for a user who existed when they were issued', async () => {
    await sut.addUser('erin', 'password01', { createdAt: Date.now() - 3600_000 });
    const token = originalToken('erin', nowSeconds() - 60);
    assert.equal((await day(token)).status, 200);
    assert.equal((await call(`${sut.url}/me`, 'GET', { token })).body.username, 'erin');
  });

  it("work for a user from the original's database, who has no creation time", async () => {
    await addOriginalUser(sut, 'frank', 'password01');
    assert.equal((await day(originalToken('frank', nowSeconds() - 200))).status, 200);
  });

  it('are refused for an account made after they were issued, under the same name', async () => {
    const token = originalToken('gina', nowSeconds() - 60);
    await sut.addUser('gina', 'password01');
    assert.deepEqual((await day(token)).body, userGone);
    assert.deepEqual((await call(`${sut.url}/me`, 'GET', { token })).body, userGone);
  });

  it('logout with one answers 204 and revokes that token, not the same user’s others', async () => {
    await sut.addUser('hana', 'password01', { createdAt: Date.now() - 3600_000 });
    const first = originalToken('hana', nowSeconds() - 10);
    const second = originalToken('hana', nowSeconds() - 20);
    const out = await call(`${sut.url}/auth/logout`, 'POST', { token: first });
    assert.equal(out.status, 204);
    assert.deepEqual((await day(first)).body, revoked);
    assert.deepEqual((await call(`${sut.url}/auth/logout`, 'POST', { token: first })).body, revoked);
    assert.equal((await day(second)).status, 200);
  });

  describe('claims of the wrong JSON type are 401 Invalid token, never a 500', () => {
    const wrong: Array<[string, unknown, string]> = [];
    for (const name of ['jti', 'sub', 'fam', 'type']) {
      for (const value of [{ a: 1 }, ['x'], 5, ''])
        wrong.push([name, value, `The "${name}" claim must be a non-empty string`]);
    }
    for (const value of [{ a: 1 }, [0], '0', -1, 1.5])
      wrong.push(['ver', value, 'The "ver" claim must be a whole number']);

    for (const [name, value, description] of wrong) {
      it(`refuses "${name}": ${JSON.stringify(value)} on a protected request, logout and refresh`, async () => {
        await sut.addUser(`user-${name}-${JSON.stringify(value)}`, 'password01', { createdAt: 0 });
        const iat = nowSeconds();
        const claims = { exp: iat + 300, iat, nbf: iat, identity: `user-${name}-${JSON.stringify(value)}` };
        const access = sut.signRaw({ ...claims, [name]: value });
        const refreshToken = sut.signRaw({
          ...claims,
          sub: randomUUID(),
          jti: randomUUID(),
          fam: 'f',
          type: 'refresh',
          [name]: value,
        });
        for (const res of [
          await day(access),
          await call(`${sut.url}/auth/logout`, 'POST', { token: access }),
          await call(`${sut.url}/auth/refresh`, 'POST', { body: { refresh_token: refreshToken } }),
        ]) {
          assert.equal(res.status, 401);
          assert.deepEqual(res.body, invalidToken(description));
        }
      });
    }
  });
});

describe('logout ends the whole login', () => {
  let sut: TestServer;
  let n = 0;
  before(async () => {
    sut = await startTestApp();
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
  });
  after(() => sut.close());

  const day = (token: string) => call(`${sut.url}/holodules/20201209`, 'GET', { token });
  const refresh = (token: string) => call(`${sut.url}/auth/refresh`, 'POST', { body: { refresh_token: token } });
  async function freshUser() {
    const username = `login${++n}`;
    await sut.addUser(username, 'password01');
    return { username, first: await sut.loginPair(username, 'password01') };
  }

  it('after logout, every access token of that login is refused, also those a refresh gave, and no other login', async () => {
    const { username, first } = await freshUser();
    const other = await sut.loginPair(username, 'password01');
    const rotated = await refresh(first.refresh_token);
    assert.equal(rotated.status, 200);

    assert.equal((await call(`${sut.url}/auth/logout`, 'POST', { token: first.access_token })).status, 204);

    assert.deepEqual((await day(rotated.body.access_token)).body, revoked);
    assert.equal((await refresh(rotated.body.refresh_token)).status, 401);
    assert.equal((await day(other.access_token)).status, 200, 'another login of the same user goes on');
  });

  it('logout with a refreshed access token ends the first one of that login too', async () => {
    const { first } = await freshUser();
    const rotated = await refresh(first.refresh_token);
    assert.equal((await call(`${sut.url}/auth/logout`, 'POST', { token: rotated.body.access_token })).status, 204);
    assert.deepEqual((await day(first.access_token)).body, revoked);
  });

  it('a refresh token issued in a login just after its logout (a refresh racing it) cannot carry the login on', async () => {
    const { username, first } = await freshUser();
    assert.equal((await call(`${sut.url}/auth/logout`, 'POST', { token: first.access_token })).status, 204);
    // What the racing refresh would have left: a fresh, unrevoked record in the logged-out login.
    const { payload } = decode(first.refresh_token);
    const [fam, sub] = [payload.fam as string, payload.sub as string];
    const iat = nowSeconds();
    const jti = randomUUID();
    await sut.store.auth.saveRefreshToken({ jti, family: fam, userId: sub, username, expiresAt: (iat + 600) * 1000 });
    const late = sut.signRaw({
      exp: iat + 600,
      iat,
      nbf: iat,
      identity: username,
      sub,
      jti,
      type: 'refresh',
      ver: 0,
      fam,
    });
    assert.deepEqual((await refresh(late)).body, revoked);
  });

  it('when a refresh token is reused, then every access token of that login is refused too', async () => {
    const { first } = await freshUser();
    const rotated = await refresh(first.refresh_token);
    assert.equal((await refresh(first.refresh_token)).status, 401);
    assert.deepEqual((await day(first.access_token)).body, revoked);
    assert.deepEqual((await day(rotated.body.access_token)).body, revoked);
  });
});

describe('an admin setting their own password through /users/{self}/password', () => {
  let sut: TestServer;
  before(async () => {
    sut = await startTestApp();
    await sut.addUser('boss', 'password01', { role: 'admin' });
    await sut.addUser('ivan', 'password01');
  });
  after(() => sut.close());

  const reset = (token: string, username: string, body: unknown) =>
    call(`${sut.url}/users/${username}/password`, 'PUT', { token, body });

  it('must give the current password, like /me/password', async () => {
    const token = await sut.login('boss', 'password01');
    const without = await reset(token, 'boss', { password: 'a-new-password' });
    assert.equal(without.status, 400);
    assert.deepEqual(without.body, {
      error: 'Bad request',
      description: 'to change your own password, give current_password too (or use PUT /me/password)',
    });
    const wrong = await reset(token, 'boss', { password: 'a-new-password', current_password: 'not-it' });
    assert.deepEqual(wrong.body, { error: 'Bad request', description: 'the current password is not right' });
    assert.equal((await sut.login('boss', 'password01')).length > 0, true, 'the password did not change');

    const right = await reset(token, 'boss', { password: 'a-new-password', current_password: 'password01' });
    assert.equal(right.status, 204);
    assert.deepEqual((await call(`${sut.url}/me`, 'GET', { token })).body, revoked);
    await sut.login('boss', 'a-new-password');
  });

  it("sets another user's password without asking for one", async () => {
    await sut.addUser('chief', 'password01', { role: 'admin' });
    const token = await sut.login('chief', 'password01');
    assert.equal((await reset(token, 'ivan', { password: 'password-ivan' })).status, 204);
    await sut.login('ivan', 'password-ivan');
  });

  it('refuses a current_password that is not a non-empty string with a 400', async () => {
    await sut.addUser('boss2', 'password01', { role: 'admin' });
    const token = await sut.login('boss2', 'password01');
    for (const current of [5, '', null, ['password01']]) {
      const res = await reset(token, 'boss2', { password: 'a-new-password', current_password: current });
      assert.equal(res.status, 400, JSON.stringify(current));
      assert.deepEqual(Object.keys(res.body), ['error', 'description']);
    }
  });
});
