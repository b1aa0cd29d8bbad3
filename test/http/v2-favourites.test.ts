// Favourite talents over real HTTP: kept per user on the store, idempotent, refused clearly, gone with the user.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { assertProblem } from '../support/v2.js';

describe('v2 favourite talents', () => {
  let sut: TestServer;

  before(async () => {
    sut = await startTestServer();
  });
  after(() => sut.close());

  let users = 0;
  /** A fresh user of its own for each test, and a Bearer token for them. */
  async function newUser(): Promise<{ username: string; token: string }> {
    const username = `fan${++users}`;
    await sut.addUser(username, 'password01');
    return { username, token: await sut.login(username, 'password01') };
  }
  const send = (method: string, path: string, token?: string) =>
    fetch(`${sut.url}/api/v2/me/favourites${path}`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  const list = async (token: string): Promise<string[]> => {
    const res = await send('GET', '', token);
    assert.equal(res.status, 200);
    return ((await res.json()) as { talents: string[] }).talents;
  };

  it('when a user marks talents, then they are listed in code order, whatever case the code was sent in', async () => {
    const { token } = await newUser();

    assert.deepEqual(await list(token), []);
    assert.equal((await send('PUT', '/HL0503', token)).status, 204);
    assert.equal((await send('PUT', '/hl0004', token)).status, 204);

    assert.deepEqual(await list(token), ['HL0004', 'HL0503']);
  });

  it('marking twice and unmarking twice both answer 204 and leave one state', async () => {
    const { token } = await newUser();

    const puts = [await send('PUT', '/HL0503', token), await send('PUT', '/HL0503', token)];
    assert.deepEqual(await list(token), ['HL0503']);
    const deletes = [await send('DELETE', '/HL0503', token), await send('DELETE', '/HL0503', token)];

    assert.deepEqual(
      [...puts, ...deletes].map((r) => r.status),
      [204, 204, 204, 204],
    );
    assert.deepEqual(await list(token), []);
  });

  it("keeps each user's favourites apart", async () => {
    const one = await newUser();
    const two = await newUser();

    await send('PUT', '/HL0503', one.token);

    assert.deepEqual(await list(one.token), ['HL0503']);
    assert.deepEqual(await list(two.token), []);
  });

  it('answers the list with Cache-Control private, no-cache, and a changed list after a change', async () => {
    const { token } = await newUser();
    const first = await send('GET', '', token);
    const etag = first.headers.get('etag')!;
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');

    await send('PUT', '/HL0503', token);
    const again = await fetch(`${sut.url}/api/v2/me/favourites`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': etag },
    });

    assert.equal(again.status, 200);
  });

  it('rejects a talent code the directory lacks with 404 problem details', async () => {
    const { token } = await newUser();

    const body = await assertProblem(await send('PUT', '/ZZ9999', token), 404);

    assert.match(String(body.detail), /ZZ9999/);
    assert.deepEqual(await list(token), []);
  });

  it('rejects a code of the wrong form with 400 naming code, on PUT and DELETE', async () => {
    const { token } = await newUser();

    await assertProblem(await send('PUT', '/H', token), 400, 'code');
    await assertProblem(await send('DELETE', '/not-a-code', token), 400, 'code');
    await assertProblem(await send('PUT', `/${'A'.repeat(17)}`, token), 400, 'code');
  });

  it('rejects requests without a token, or with an API key, with 401 problem details', async () => {
    await assertProblem(await send('GET', ''), 401);
    await assertProblem(await send('PUT', '/HL0503'), 401);
    await assertProblem(await send('DELETE', '/HL0503'), 401);
    const res = await fetch(`${sut.url}/api/v2/me/favourites`, { headers: { 'x-api-key': 'hdk_whatever' } });
    await assertProblem(res, 401);
  });

  it('when the user is deleted, then their favourites are removed from the store', async () => {
    const { username, token } = await newUser();
    await send('PUT', '/HL0503', token);
    const user = await sut.store.users.findByUsername(username);
    await sut.addUser(`admin${users}`, 'password01', { role: 'admin' });
    const admin = await sut.login(`admin${users}`, 'password01');

    const deleted = await fetch(`${sut.url}/users/${username}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });

    assert.equal(deleted.status, 204);
    assert.deepEqual(await sut.store.favourites.listOfUser(user!.uid), []);
  });
});
