// The web page's cookie session over real HTTP: the refresh token in an HttpOnly, path-scoped cookie, a signed
// double-submit CSRF token for every cookie-authenticated request, rotation, reuse detection and sign-out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { removeUser, setDisabled } from '../../src/domain/users.js';
import { nowSeconds, startTestServer, type TestServer } from '../support/test-server.js';
import { assertProblem } from '../support/v2.js';

interface Cookie {
  name: string;
  value: string;
  /** Attribute names in lower case; values as sent (`httponly` → ''). */
  attributes: Map<string, string>;
}

function cookiesOf(res: Response): Map<string, Cookie> {
  const found = new Map<string, Cookie>();
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const at = pair!.indexOf('=');
    const attributes = new Map<string, string>();
    for (const attribute of rest) {
      const eq = attribute.indexOf('=');
      if (eq === -1) attributes.set(attribute.toLowerCase(), '');
      else attributes.set(attribute.slice(0, eq).toLowerCase(), attribute.slice(eq + 1));
    }
    found.set(pair!.slice(0, at), { name: pair!.slice(0, at), value: pair!.slice(at + 1), attributes });
  }
  return found;
}

/** What a browser keeps of one sign-in: the two cookies' values. */
interface Jar {
  refresh: string;
  csrf: string;
}

describe('web page sessions (cookie refresh with CSRF)', () => {
  let sut: TestServer;
  let users = 0;

  before(async () => {
    sut = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '2' });
  });
  after(() => sut.close());

  async function newUser(role: 'admin' | 'user' = 'user'): Promise<string> {
    const username = `viewer${++users}`;
    await sut.addUser(username, 'password01', { role });
    return username;
  }
  const signIn = (username: string, password = 'password01', headers: Record<string, string> = {}) =>
    fetch(`${sut.url}/api/v2/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    });
  const jarOf = (res: Response): Jar => {
    const cookies = cookiesOf(res);
    return { refresh: cookies.get('holodule_refresh')!.value, csrf: cookies.get('holodule_csrf')!.value };
  };
  async function signedIn(username: string): Promise<{ jar: Jar; access: string }> {
    const res = await signIn(username);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string };
    return { jar: jarOf(res), access: body.access_token };
  }
  const withCookie = (method: string, path: string, refresh: string | undefined, csrf: string | undefined) =>
    fetch(`${sut.url}/api/v2/session${path}`, {
      method,
      headers: {
        ...(refresh === undefined ? {} : { cookie: `holodule_refresh=${refresh}` }),
        ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }),
      },
    });
  const refresh = (jar: Jar) => withCookie('POST', '/refresh', jar.refresh, jar.csrf);
  const me = (access: string) => fetch(`${sut.url}/me`, { headers: { authorization: `Bearer ${access}` } });

  it('signs in: the access token and user in the body, the refresh token only in an HttpOnly cookie', async () => {
    const username = await newUser('admin');

    const res = await signIn(username);

    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'user']);
    assert.deepEqual(body.user, { username, role: 'admin' });
    assert.equal(typeof body.expires_in, 'number');
    assert.equal((await me(String(body.access_token))).status, 200);
    const cookies = cookiesOf(res);
    const refreshCookie = cookies.get('holodule_refresh')!;
    assert.ok(refreshCookie.value.length > 0);
    assert.ok(refreshCookie.attributes.has('httponly'));
    assert.equal(refreshCookie.attributes.get('samesite'), 'Strict');
    assert.equal(refreshCookie.attributes.get('path'), '/api/v2/session');
    assert.equal(refreshCookie.attributes.get('max-age'), String(sut.config.jwt.refreshExpirationSeconds));
    assert.equal(refreshCookie.attributes.has('secure'), false, 'plain HTTP: no Secure');
    const csrfCookie = cookies.get('holodule_csrf')!;
    assert.ok(csrfCookie.value.length > 0);
    assert.equal(csrfCookie.attributes.has('httponly'), false, 'the page reads it');
    assert.equal(csrfCookie.attributes.get('samesite'), 'Strict');
    assert.equal(csrfCookie.attributes.get('path'), '/');
  });

  it('marks both cookies Secure when the request came over TLS (through a trusted proxy)', async (t) => {
    const proxied = await startTestServer({ HOLODULE_TRUST_PROXY: '127.0.0.1' });
    t.after(() => proxied.close());
    await proxied.addUser('tls01', 'password01');

    const res = await fetch(`${proxied.url}/api/v2/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'tls01', password: 'password01' }),
    });

    assert.equal(res.status, 200);
    const cookies = cookiesOf(res);
    assert.ok(cookies.get('holodule_refresh')!.attributes.has('secure'));
    assert.ok(cookies.get('holodule_csrf')!.attributes.has('secure'));
  });

  it('does not trust X-Forwarded-Proto from a client that is no trusted proxy', async () => {
    const username = await newUser();

    const res = await signIn(username, 'password01', { 'x-forwarded-proto': 'https' });

    assert.equal(cookiesOf(res).get('holodule_refresh')!.attributes.has('secure'), false);
  });

  it('refresh rotates the refresh cookie and answers a working access token', async () => {
    const username = await newUser();
    const { jar } = await signedIn(username);

    const res = await refresh(jar);

    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string; user: unknown };
    assert.deepEqual(body.user, { username, role: 'user' });
    const next = jarOf(res);
    assert.notEqual(next.refresh, jar.refresh);
    assert.equal((await me(body.access_token)).status, 200);
    assert.equal((await refresh(next)).status, 200);
  });

  it('when a rotated refresh cookie is used again, then the whole sign-in ends', async () => {
    const { jar } = await signedIn(await newUser());
    const rotated = await refresh(jar);
    const next = jarOf(rotated);
    const { access_token } = (await rotated.json()) as { access_token: string };

    const replay = await refresh(jar);

    const problem = await assertProblem(replay, 401);
    assert.match(String(problem.detail), /reused/);
    const cleared = cookiesOf(replay).get('holodule_refresh');
    assert.equal(cleared?.attributes.get('max-age'), '0');
    await assertProblem(await refresh(next), 401);
    assert.equal((await me(access_token)).status, 401);
  });

  it('signing out answers 204, clears both cookies, and ends the refresh cookie and the access token', async () => {
    const { jar, access } = await signedIn(await newUser());

    const res = await withCookie('DELETE', '', jar.refresh, jar.csrf);

    assert.equal(res.status, 204);
    const cookies = cookiesOf(res);
    for (const name of ['holodule_refresh', 'holodule_csrf']) {
      assert.equal(cookies.get(name)?.value, '', name);
      assert.equal(cookies.get(name)?.attributes.get('max-age'), '0', name);
    }
    assert.equal(cookies.get('holodule_refresh')?.attributes.get('path'), '/api/v2/session');
    assert.equal(cookies.get('holodule_csrf')?.attributes.get('path'), '/');
    await assertProblem(await refresh(jar), 401);
    assert.equal((await me(access)).status, 401);
  });

  it('rejects refresh and sign-out without the CSRF header, or with a wrong one, with 403, and the sign-in goes on', async () => {
    const { jar } = await signedIn(await newUser());

    await assertProblem(await withCookie('POST', '/refresh', jar.refresh, undefined), 403);
    await assertProblem(await withCookie('POST', '/refresh', jar.refresh, `${jar.csrf}x`), 403);
    await assertProblem(await withCookie('POST', '/refresh', jar.refresh, ''), 403);
    await assertProblem(await withCookie('DELETE', '', jar.refresh, undefined), 403);
    await assertProblem(await withCookie('DELETE', '', jar.refresh, 'x'.repeat(43)), 403);

    assert.equal((await refresh(jar)).status, 200);
  });

  it("rejects another sign-in's CSRF token with 403, even the same user's", async () => {
    const username = await newUser();
    const mine = await signedIn(username);
    const other = await signedIn(username);

    await assertProblem(await withCookie('POST', '/refresh', mine.jar.refresh, other.jar.csrf), 403);
    await assertProblem(await withCookie('DELETE', '', mine.jar.refresh, other.jar.csrf), 403);
  });

  it('rejects refresh and sign-out without the cookie, or with a forged one, with 401', async () => {
    const { jar } = await signedIn(await newUser());

    await assertProblem(await withCookie('POST', '/refresh', undefined, jar.csrf), 401);
    await assertProblem(await withCookie('DELETE', '', undefined, jar.csrf), 401);
    await assertProblem(await withCookie('POST', '/refresh', 'not-a-token', jar.csrf), 401);
    const [header, payload] = jar.refresh.split('.');
    await assertProblem(await withCookie('POST', '/refresh', `${header}.${payload}.forged`, jar.csrf), 401);
  });

  it('rejects an expired refresh cookie with 401', async () => {
    const username = await newUser();
    const user = await sut.store.users.findByUsername(username);
    const past = nowSeconds() - 3600;
    const expired = sut.signRaw({
      identity: username,
      sub: user!.uid,
      jti: 'expired-refresh',
      fam: 'some-family',
      type: 'refresh',
      ver: 0,
      iat: past - 60,
      nbf: past - 60,
      exp: past,
    });

    const problem = await assertProblem(await withCookie('POST', '/refresh', expired, 'anything'), 401);

    assert.match(String(problem.detail), /expired/);
  });

  it('when the user is disabled or deleted, then refresh answers 401', async () => {
    const disabled = await newUser();
    const deleted = await newUser();
    const a = await signedIn(disabled);
    const b = await signedIn(deleted);

    await setDisabled(sut.store, disabled, true);
    await removeUser(sut.store, deleted);

    await assertProblem(await refresh(a.jar), 401);
    await assertProblem(await refresh(b.jar), 401);
  });

  it('rejects wrong credentials with 401 problem details and sets no cookie', async () => {
    const username = await newUser();

    const wrong = await signIn(username, 'wrong-password');
    const unknown = await signIn('nobody-here');

    await assertProblem(wrong, 401);
    await assertProblem(unknown, 401);
    assert.deepEqual(wrong.headers.getSetCookie(), []);
  });

  it('rejects a body with fields missing or extra with 401, as POST /auth does', async () => {
    const res = await fetch(`${sut.url}/api/v2/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'someone' }),
    });
    const extra = await fetch(`${sut.url}/api/v2/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'someone', password: 'x', admin: true }),
    });

    await assertProblem(res, 401);
    await assertProblem(extra, 401);
  });

  it('throttles failed sign-ins per account with the same counter as POST /auth: 429 with Retry-After', async () => {
    const username = await newUser();
    await signIn(username, 'wrong-password');
    await fetch(`${sut.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'wrong-password' }),
    });

    const res = await signIn(username);

    await assertProblem(res, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
  });

  it('writes no token, cookie value or password to the log', async () => {
    const username = await newUser();
    const { jar, access } = await signedIn(username);
    const res = await refresh(jar);
    const next = jarOf(res);
    await withCookie('DELETE', '', next.refresh, next.csrf);

    const text = JSON.stringify(sut.logs);
    for (const secret of [jar.refresh, jar.csrf, next.refresh, access, 'password01']) {
      assert.ok(!text.includes(secret), `a secret reached the log: ${secret.slice(0, 12)}…`);
    }
    assert.ok(sut.logs.some((line) => line.event === 'auth.login' && line.username === username));
  });
});
