import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode } from '../support/jwt-decode.js';
import { makeStream } from '../support/streams.js';
import { call, startTestApp, type TestServer } from '../support/test-server.js';

describe('sessions: refresh, logout and revocation', () => {
  let sut: TestServer;
  let n = 0;
  before(async () => {
    sut = await startTestApp();
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
  });
  after(() => sut.close());

  /** A user of its own per test, logged in. */
  async function freshUser() {
    const username = `user${++n}`;
    await sut.addUser(username, 'password01');
    return { username, ...(await sut.loginPair(username, 'password01')) };
  }
  const day = (token: string) => call(`${sut.url}/holodules/20201209`, 'GET', { token });
  const refresh = (refreshToken: string) =>
    call(`${sut.url}/auth/refresh`, 'POST', { body: { refresh_token: refreshToken } });

  it('issues access and refresh tokens of distinct types, in one login family', async () => {
    const { access_token, refresh_token } = await freshUser();
    const access = decode(access_token).payload;
    const refreshClaims = decode(refresh_token).payload;
    assert.equal(access.type, 'access');
    assert.equal(refreshClaims.type, 'refresh');
    assert.equal(access.fam, refreshClaims.fam);
    assert.ok(refreshClaims.exp - refreshClaims.iat > 86400);
  });

  it('exchanges a refresh token for a new working pair', async () => {
    const { refresh_token } = await freshUser();
    const res = await refresh(refresh_token);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['access_token', 'refresh_token', 'token_type', 'expires_in']);
    assert.notEqual(res.body.refresh_token, refresh_token);
    assert.equal((await day(res.body.access_token)).status, 200);
  });

  it('when a refresh token is used twice, then the second use is refused and the whole chain is revoked', async () => {
    const { refresh_token } = await freshUser();
    const first = await refresh(refresh_token);
    assert.equal(first.status, 200);

    const replay = await refresh(refresh_token);
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body, {
      status_code: 401,
      error: 'Invalid token',
      description: 'Refresh token reused; the session is revoked',
    });
    const rotated = await refresh(first.body.refresh_token);
    assert.equal(rotated.status, 401, 'the refresh token issued by the first use is revoked too');
  });

  it('refuses a refresh token used as an access token', async () => {
    const { refresh_token } = await freshUser();
    const res = await day(refresh_token);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { status_code: 401, error: 'Invalid token', description: 'Expected an access token' });
  });

  it('refuses an access token used to refresh', async () => {
    const { access_token } = await freshUser();
    const res = await refresh(access_token);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { status_code: 401, error: 'Invalid token', description: 'Expected a refresh token' });
  });

  it('refuses a refresh body with other keys or no token, in the contract shape', async () => {
    for (const body of [{}, { refresh_token: '' }, { refresh_token: 'x', more: 1 }, { refresh_token: 5 }]) {
      const res = await call(`${sut.url}/auth/refresh`, 'POST', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(Object.keys(res.body), ['status_code', 'error', 'description']);
    }
  });

  it('after logout, the access token and the refresh chain of that login are refused', async () => {
    const { access_token, refresh_token } = await freshUser();
    const out = await call(`${sut.url}/auth/logout`, 'POST', { token: access_token });
    assert.equal(out.status, 204);
    assert.deepEqual((await day(access_token)).body, {
      status_code: 401,
      error: 'Invalid token',
      description: 'Token has been revoked',
    });
    assert.equal((await refresh(refresh_token)).status, 401);
  });

  it('keeps revocations in the store, so they hold for every instance and after a restart', async () => {
    const { access_token } = await freshUser();
    await call(`${sut.url}/auth/logout`, 'POST', { token: access_token });
    const login = decode(access_token).payload.fam as string;
    assert.equal(await sut.store.auth.isAccessTokenRevoked(`fam:${login}`), true);
  });

  it('after the user changes their password, their older tokens are refused and the new password works', async () => {
    const { username, access_token, refresh_token } = await freshUser();
    const wrong = await call(`${sut.url}/me/password`, 'PUT', {
      token: access_token,
      body: { current_password: 'not-it', new_password: 'a-new-password' },
    });
    assert.equal(wrong.status, 400);
    const changed = await call(`${sut.url}/me/password`, 'PUT', {
      token: access_token,
      body: { current_password: 'password01', new_password: 'a-new-password' },
    });
    assert.equal(changed.status, 204);
    assert.equal((await day(access_token)).body.description, 'Token has been revoked');
    assert.equal((await refresh(refresh_token)).status, 401);
    const again = await sut.loginPair(username, 'a-new-password');
    assert.equal((await day(again.access_token)).status, 200);
  });

  it('refuses a new password shorter than 8 characters or over 1024 bytes, and never truncates', async () => {
    const { access_token } = await freshUser();
    for (const next of ['short', 'é'.repeat(513)]) {
      const res = await call(`${sut.url}/me/password`, 'PUT', {
        token: access_token,
        body: { current_password: 'password01', new_password: next },
      });
      assert.equal(res.status, 400);
      assert.match(res.body.description, /at least 8 characters|at most 1024 bytes/);
    }
  });
});

describe('user administration over HTTP', () => {
  let sut: TestServer;
  let admin: string;
  before(async () => {
    sut = await startTestApp();
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    await sut.addUser('root', 'password01', { role: 'admin' });
    admin = await sut.login('root', 'password01');
  });
  after(() => sut.close());

  it('lets an admin create, list, read, reset and delete users', async () => {
    const created = await call(`${sut.url}/users`, 'POST', {
      token: admin,
      body: { username: 'carol', password: 'password-c' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(
      { ...created.body, id: 'x' },
      { id: 'x', username: 'carol', role: 'user', disabled: false, password: 'argon2id' },
    );
    const list = await call(`${sut.url}/users`, 'GET', { token: admin });
    const names = list.body.map((u: { username: string }) => u.username);
    assert.ok(names.includes('carol') && names.includes('root'));
    assert.ok(!JSON.stringify(list.body).includes('$argon2'), 'no hash is ever sent');

    const carol = await sut.login('carol', 'password-c');
    assert.equal(
      (await call(`${sut.url}/users/carol/password`, 'PUT', { token: admin, body: { password: 'password-d' } })).status,
      204,
    );
    assert.equal(
      (await call(`${sut.url}/holodules/20201209`, 'GET', { token: carol })).status,
      401,
      'reset ends her tokens',
    );
    await sut.login('carol', 'password-d');

    assert.equal((await call(`${sut.url}/users/carol`, 'DELETE', { token: admin })).status, 204);
    assert.equal((await call(`${sut.url}/users/carol`, 'GET', { token: admin })).status, 404);
  });

  it('refuses a duplicate username with 409 and a weak password with 400', async () => {
    await call(`${sut.url}/users`, 'POST', { token: admin, body: { username: 'dave', password: 'password-d' } });
    const dup = await call(`${sut.url}/users`, 'POST', {
      token: admin,
      body: { username: 'dave', password: 'password-d' },
    });
    assert.equal(dup.status, 409);
    const weak = await call(`${sut.url}/users`, 'POST', {
      token: admin,
      body: { username: 'erin', password: 'short' },
    });
    assert.equal(weak.status, 400);
  });

  it('when an admin disables a user, then their tokens and logins are refused until enabled again', async () => {
    await sut.addUser('frank', 'password01');
    const frank = await sut.login('frank', 'password01');
    const disabled = await call(`${sut.url}/users/frank`, 'PATCH', { token: admin, body: { disabled: true } });
    assert.equal(disabled.body.disabled, true);
    const refused = await call(`${sut.url}/holodules/20201209`, 'GET', { token: frank });
    assert.equal(refused.status, 401);
    assert.equal(
      (await call(`${sut.url}/auth`, 'POST', { body: { username: 'frank', password: 'password01' } })).status,
      401,
    );

    await call(`${sut.url}/users/frank`, 'PATCH', { token: admin, body: { disabled: false } });
    const again = await sut.login('frank', 'password01');
    assert.equal((await call(`${sut.url}/holodules/20201209`, 'GET', { token: again })).status, 200);
    assert.equal(
      (await call(`${sut.url}/holodules/20201209`, 'GET', { token: frank })).status,
      401,
      'old tokens stay dead',
    );
  });

  it('refuses every admin endpoint to a non-admin with 403', async () => {
    await sut.addUser('gina', 'password01');
    const gina = await sut.login('gina', 'password01');
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/users'],
      ['POST', '/users', { username: 'x', password: 'password-x' }],
      ['GET', '/users/root'],
      ['PATCH', '/users/root', { disabled: true }],
      ['PUT', '/users/root/password', { password: 'password-x' }],
      ['DELETE', '/users/root'],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(`${sut.url}${path}`, method, { token: gina, body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.deepEqual(res.body, { status_code: 403, error: 'Forbidden', description: 'This needs the admin role' });
    }
    assert.equal((await sut.store.users.findByUsername('root'))?.disabled, false);
  });

  it('lets an admin promote a user, and refuses to let an admin disable or delete themselves', async () => {
    await sut.addUser('hana', 'password01');
    const promoted = await call(`${sut.url}/users/hana`, 'PATCH', { token: admin, body: { role: 'admin' } });
    assert.equal(promoted.body.role, 'admin');
    assert.equal(
      (await call(`${sut.url}/users/root`, 'PATCH', { token: admin, body: { disabled: true } })).status,
      409,
    );
    assert.equal((await call(`${sut.url}/users/root`, 'DELETE', { token: admin })).status, 409);
  });

  it('tells a user who they are at /me', async () => {
    const me = await call(`${sut.url}/me`, 'GET', { token: admin });
    assert.equal(me.body.username, 'root');
    assert.equal(me.body.role, 'admin');
  });
});
