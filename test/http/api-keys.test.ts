// Personal API keys over real HTTP: made once, listed without the secret, reading as their user and nothing else,
// ended at once (and on every instance) by revocation, expiry, deletion, disable or a password change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashOfSecret, newSecret } from '../../src/auth/personal-secrets.js';
import { makeStream } from '../support/streams.js';
import { call, startTestApp, type TestServer, fetch } from '../support/test-server.js';
import { assertProblem } from '../support/v2.js';

type Context = { after: (fn: () => Promise<void>) => void };

async function serverWithUsers(t: Context, env: Record<string, string> = {}, dataDir?: string) {
  const sut = await startTestApp(env, dataDir ? { dataDir } : {});
  t.after(() => sut.close());
  if (!dataDir) {
    await sut.addUser('user01', 'password01');
    await sut.addUser('admin01', 'password01', { role: 'admin' });
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
  }
  return sut;
}

async function makeKey(sut: TestServer, token: string, body: unknown = { name: 'bot' }) {
  const res = await call(`${sut.url}/me/api-keys`, 'POST', { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; key: string; name: string; created_at: string; expires_at: string | null };
}

const withKey = (url: string, key: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { 'x-api-key': key, ...(init.headers as Record<string, string>) } });
const dayWithKey = (sut: TestServer, key: string) => withKey(`${sut.url}/holodules/20201209`, key);

describe('personal API keys', () => {
  it('makes a key once, with the hdk_ prefix and 256 bits, and stores only its SHA-256', async (t) => {
    const sut = await serverWithUsers(t);
    const token = await sut.login('user01', 'password01');

    const made = await makeKey(sut, token, { name: 'my bot', expires_in_days: 30 });

    assert.match(made.key, /^hdk_[0-9A-Za-z]{43}$/);
    assert.equal(made.name, 'my bot');
    const days = (Date.parse(made.expires_at!) - Date.parse(made.created_at)) / 86_400_000;
    assert.equal(Math.round(days), 30);
    const stored = await sut.store.credentials.findByHash(
      'api-key',
      createHash('sha256').update(made.key).digest('hex'),
    );
    assert.equal(stored?.id, made.id);
    assert.ok(!JSON.stringify(stored).includes(made.key.slice(4)), 'the key itself is not stored');
  });

  it('a key reads the v1 day query and the v2 reads as its user', async (t) => {
    const sut = await serverWithUsers(t);
    const { key } = await makeKey(sut, await sut.login('user01', 'password01'));

    const day = await dayWithKey(sut, key);
    const streams = await withKey(`${sut.url}/api/v2/streams?from=2020-12-09&to=2020-12-09`, key);
    const talents = await withKey(`${sut.url}/api/v2/talents`, key);

    assert.equal(day.status, 200);
    assert.equal(((await day.json()) as { holodules: unknown[] }).holodules.length, 1);
    assert.equal(streams.status, 200);
    assert.equal(((await streams.json()) as { items: unknown[] }).items.length, 1);
    assert.equal(talents.status, 200);
    assert.match(day.headers.get('vary') ?? '', /X-API-Key/);
  });

  it('lists name, times and id, never the key or its hash; last_used_at is set once the key is used', async (t) => {
    const sut = await serverWithUsers(t);
    const token = await sut.login('user01', 'password01');
    const made = await makeKey(sut, token, { name: 'reader', expires_at: '2030-01-31T00:00:00+09:00' });

    const before = await call(`${sut.url}/me/api-keys`, 'GET', { token });
    await dayWithKey(sut, made.key);
    const after = await call(`${sut.url}/me/api-keys`, 'GET', { token });

    assert.deepEqual(before.body, [
      {
        id: made.id,
        name: 'reader',
        created_at: made.created_at,
        last_used_at: null,
        expires_at: '2030-01-30T15:00:00Z',
      },
    ]);
    assert.equal(typeof after.body[0].last_used_at, 'string');
    const text = JSON.stringify(after.body);
    assert.ok(!text.includes(made.key) && !text.includes(hashOfSecret(made.key)));
  });

  it('records a use at most once a minute per key', async (t) => {
    const sut = await serverWithUsers(t);
    const made = await makeKey(sut, await sut.login('user01', 'password01'));
    const hash = hashOfSecret(made.key);

    await dayWithKey(sut, made.key);
    const first = (await sut.store.credentials.findByHash('api-key', hash))?.lastUsedAt;
    await dayWithKey(sut, made.key);
    const second = (await sut.store.credentials.findByHash('api-key', hash))?.lastUsedAt;

    assert.equal(typeof first, 'number');
    assert.equal(second, first);
  });

  it('is read-only: account, key and feed management, password changes, logout and admin routes refuse a key with 401', async (t) => {
    const sut = await serverWithUsers(t);
    const { key } = await makeKey(sut, await sut.login('admin01', 'password01'));
    const json = { 'content-type': 'application/json' };

    const refused = await Promise.all([
      withKey(`${sut.url}/me`, key),
      withKey(`${sut.url}/me/api-keys`, key),
      withKey(`${sut.url}/me/api-keys`, key, { method: 'POST', headers: json, body: '{"name":"more"}' }),
      withKey(`${sut.url}/me/feeds`, key, { method: 'POST', headers: json, body: '{}' }),
      withKey(`${sut.url}/me/password`, key, {
        method: 'PUT',
        headers: json,
        body: '{"current_password":"password01","new_password":"password02"}',
      }),
      withKey(`${sut.url}/users`, key),
      withKey(`${sut.url}/users/user01`, key, { method: 'DELETE' }),
      withKey(`${sut.url}/auth/logout`, key, { method: 'POST' }),
      withKey(`${sut.url}/api/v2/talents/HL0004`, key, { method: 'PATCH', headers: json, body: '{"name":"x"}' }),
    ]);

    for (const res of refused) {
      const body = await res.text();
      assert.equal(res.status, 401, `${res.url}: ${body}`);
      assert.match(body, /API key|access token/);
    }
    assert.ok(await sut.store.users.findByUsername('user01'), 'nothing was done with the key');
    assert.equal((await dayWithKey(sut, key)).status, 200, 'the key still reads');
  });

  it('a revoked key stops at once, on another instance on the same store too', async (t) => {
    const first = await serverWithUsers(t);
    const second = await serverWithUsers(t, {}, first.dataDir);
    const token = await first.login('user01', 'password01');
    const made = await makeKey(first, token);
    assert.equal((await dayWithKey(second, made.key)).status, 200);

    const revoked = await fetch(`${first.url}/me/api-keys/${made.id}`, {
      method: 'DELETE',
      headers: { authorization: `JWT ${token}` },
    });

    assert.equal(revoked.status, 204);
    for (const sut of [first, second]) {
      const res = await dayWithKey(sut, made.key);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        status_code: 401,
        error: 'Invalid API key',
        description: 'Unknown or revoked API key',
      });
    }
    assert.deepEqual((await call(`${first.url}/me/api-keys`, 'GET', { token })).body, []);
  });

  it("DELETE /me/api-keys/{id} of another user's key is 404 and leaves it working", async (t) => {
    const sut = await serverWithUsers(t);
    const mine = await makeKey(sut, await sut.login('admin01', 'password01'));
    const token = await sut.login('user01', 'password01');

    const res = await call(`${sut.url}/me/api-keys/${mine.id}`, 'DELETE', { token });

    assert.equal(res.status, 404);
    assert.equal((await dayWithKey(sut, mine.key)).status, 200);
  });

  it('ends with its user: deleted, disabled (for good), or a changed password', async (t) => {
    const sut = await serverWithUsers(t);
    await sut.addUser('user02', 'password02');
    await sut.addUser('user03', 'password03');
    const admin = await sut.login('admin01', 'password01');
    const deleted = await makeKey(sut, await sut.login('user01', 'password01'));
    const disabled = await makeKey(sut, await sut.login('user02', 'password02'));
    const user03 = await sut.login('user03', 'password03');
    const changed = await makeKey(sut, user03);

    assert.equal((await call(`${sut.url}/users/user01`, 'DELETE', { token: admin })).status, 204);
    await call(`${sut.url}/users/user02`, 'PATCH', { token: admin, body: { disabled: true } });
    const disabledAnswer = await dayWithKey(sut, disabled.key);
    await call(`${sut.url}/users/user02`, 'PATCH', { token: admin, body: { disabled: false } });
    await call(`${sut.url}/me/password`, 'PUT', {
      token: user03,
      body: { current_password: 'password03', new_password: 'password04' },
    });

    assert.equal((await dayWithKey(sut, deleted.key)).status, 401);
    assert.equal(disabledAnswer.status, 401);
    assert.equal(((await disabledAnswer.json()) as { description: string }).description, 'User is disabled');
    assert.equal((await dayWithKey(sut, disabled.key)).status, 401, 'enabling again does not bring it back');
    const afterPassword = await dayWithKey(sut, changed.key);
    assert.equal(afterPassword.status, 401);
    assert.equal(((await afterPassword.json()) as { description: string }).description, 'API key has been revoked');
    assert.deepEqual(await sut.store.credentials.listOfUser(deleted.id, 'api-key'), []);
  });

  it('a key whose user vanished from the database (deleted behind our back) is refused', async (t) => {
    const sut = await serverWithUsers(t);
    const made = await makeKey(sut, await sut.login('user01', 'password01'));

    await sut.store.users.remove('user01');
    const res = await dayWithKey(sut, made.key);

    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { description: string }).description, 'User does not exist');
  });

  it('an expired key is refused', async (t) => {
    const sut = await serverWithUsers(t);
    const user = (await sut.store.users.findByUsername('user01'))!;
    const key = newSecret('api-key');
    await sut.store.credentials.add({
      id: 'expired-key',
      kind: 'api-key',
      userId: user.uid,
      name: 'old',
      hash: hashOfSecret(key),
      createdAt: Date.now() - 2000,
      lastUsedAt: null,
      expiresAt: Date.now() - 1000,
      userVersion: 0,
    });

    const res = await dayWithKey(sut, key);

    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { description: string }).description, 'API key has expired');
  });

  it('rejects a malformed or unknown key with 401 (problem details under /api/v2), also when reads are public', async (t) => {
    const sut = await serverWithUsers(t, { HOLODULE_PUBLIC_READ: 'true' });

    const malformed = await dayWithKey(sut, 'not-a-key');
    const unknown = await dayWithKey(sut, newSecret('api-key'));
    const feedToken = await dayWithKey(sut, newSecret('feed'));
    const v2 = await withKey(`${sut.url}/api/v2/streams`, 'hdk_short');

    assert.equal(malformed.status, 401);
    assert.match(((await malformed.json()) as { description: string }).description, /does not hold a holodule API key/);
    assert.equal(unknown.status, 401);
    assert.equal(feedToken.status, 401, 'a feed token is no API key');
    await assertProblem(v2, 401);
    assert.equal((await fetch(`${sut.url}/holodules/20201209`)).status, 200, 'anonymous reads still work');
  });

  it('rejects bad new keys with 400: no name, empty or too long a name, a bad or past expiry, both expiries', async (t) => {
    const sut = await serverWithUsers(t);
    const token = await sut.login('user01', 'password01');
    const bodies = [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'tab\there' },
      { name: 42 },
      { name: 'a', expires_at: 'tomorrow' },
      { name: 'a', expires_at: '2020-01-01T00:00:00Z' },
      { name: 'a', expires_at: '2027-02-30T00:00:00' },
      { name: 'a', expires_at: '9999-01-01T00:00:00Z' },
      { name: 'a', expires_in_days: 0 },
      { name: 'a', expires_in_days: 1.5 },
      { name: 'a', expires_in_days: 3651 },
      { name: 'a', expires_at: '2099-01-01T00:00:00Z', expires_in_days: 3 },
      { name: 'a', scope: 'admin' },
    ];

    for (const body of bodies) {
      const res = await call(`${sut.url}/me/api-keys`, 'POST', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(typeof res.body.description, 'string', JSON.stringify(res.body));
    }
    assert.deepEqual((await call(`${sut.url}/me/api-keys`, 'GET', { token })).body, []);
  });

  it("lets an admin list and revoke anyone's keys; others get 403, an unknown user or key 404", async (t) => {
    const sut = await serverWithUsers(t);
    const user = await sut.login('user01', 'password01');
    const admin = await sut.login('admin01', 'password01');
    const made = await makeKey(sut, user, { name: 'theirs' });

    const listed = await call(`${sut.url}/users/user01/api-keys`, 'GET', { token: admin });
    const byUser = await call(`${sut.url}/users/user01/api-keys`, 'GET', { token: user });
    const unknownUser = await call(`${sut.url}/users/nobody/api-keys`, 'GET', { token: admin });
    const unknownKey = await call(`${sut.url}/users/user01/api-keys/nope`, 'DELETE', { token: admin });
    const revoked = await call(`${sut.url}/users/user01/api-keys/${made.id}`, 'DELETE', { token: admin });

    assert.deepEqual(
      listed.body.map((k: { id: string; name: string }) => [k.id, k.name]),
      [[made.id, 'theirs']],
    );
    assert.equal(byUser.status, 403);
    assert.equal(unknownUser.status, 404);
    assert.equal(unknownKey.status, 404);
    assert.equal(revoked.status, 204);
    assert.equal((await dayWithKey(sut, made.key)).status, 401);
  });

  it('never writes a key into the log', async (t) => {
    const sut = await serverWithUsers(t);
    const made = await makeKey(sut, await sut.login('user01', 'password01'));

    await dayWithKey(sut, made.key);
    await withKey(`${sut.url}/me`, made.key);
    await dayWithKey(sut, `${made.key}x`);

    assert.ok(sut.logs.length > 0);
    assert.ok(!JSON.stringify(sut.logs).includes(made.key.slice(4)), 'no log line holds the key');
  });
});
