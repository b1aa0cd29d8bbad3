import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode } from '../support/jwt-decode.js';
import { startTestApp, type TestServer, fetch } from '../support/test-server.js';

const INVALID_CREDENTIALS = { status_code: 401, error: 'Bad Request', description: 'Invalid credentials' };

describe('POST /auth', () => {
  let sut: TestServer;
  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
  });
  after(() => sut.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${sut.url}/auth`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('when the credentials are right, then it answers 200 with an access token carrying the original claims', async () => {
    const res = await post(JSON.stringify({ username: 'user01', password: 'password01' }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    assert.deepEqual(Object.keys(body), ['access_token', 'refresh_token', 'token_type', 'expires_in']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    const { header, payload } = decode(body.access_token);
    assert.equal(header.alg, 'HS256');
    assert.equal(typeof header.kid, 'string');
    assert.equal(payload.type, 'access');
    assert.equal(payload.identity, 'user01');
    assert.equal(payload.exp - payload.iat, 300);
    assert.equal(payload.nbf, payload.iat);
    assert.equal(typeof payload.jti, 'string');
  });

  const refusals: Array<[string, string]> = [
    ['a wrong password', JSON.stringify({ username: 'user01', password: 'wrong' })],
    ['an unknown user', JSON.stringify({ username: 'nobody', password: 'password01' })],
    ['a missing password', JSON.stringify({ username: 'user01' })],
    ['a missing username', JSON.stringify({ password: 'password01' })],
    ['an empty password', JSON.stringify({ username: 'user01', password: '' })],
    ['an empty username', JSON.stringify({ username: '', password: 'password01' })],
    ['an extra key', JSON.stringify({ username: 'user01', password: 'password01', admin: true })],
    ['an empty object', '{}'],
    ['a username that is an operator object', JSON.stringify({ username: { $ne: '' }, password: { $ne: '' } })],
    ['a username that is a number', JSON.stringify({ username: 1, password: 'password01' })],
    ['a password that is null', JSON.stringify({ username: 'user01', password: null })],
    ['a password over 1024 bytes', JSON.stringify({ username: 'user01', password: 'ü'.repeat(600) })],
  ];
  for (const [what, body] of refusals) {
    it(`when the body has ${what}, then it answers the same 401 Invalid credentials`, async () => {
      const res = await post(body);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), INVALID_CREDENTIALS);
    });
  }

  it('when the body is a JSON array, then it answers 400 in the same shape', async () => {
    const res = await post('[{"username":"user01","password":"password01"}]');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      status_code: 400,
      error: 'Bad Request',
      description: 'The request body must be a JSON object',
    });
  });

  it('when the body is not JSON, then it answers 400 in the same shape instead of the original 500', async () => {
    const res = await post('username=user01&password=password01');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      status_code: 400,
      error: 'Bad Request',
      description: 'The request body is not valid JSON',
    });
  });

  it('when the content type is a form, then it answers 415 in the same shape', async () => {
    const res = await post('username=user01', 'application/x-www-form-urlencoded');
    assert.equal(res.status, 415);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['status_code', 'error', 'description']);
    assert.equal(body.status_code, 415);
  });

  it('when the username is a 10 MB string, then it answers 413 without reading it all, and nothing is stored', async () => {
    const before = await sut.store.users.count();
    const res = await post(JSON.stringify({ username: 'x'.repeat(10 * 1024 * 1024), password: 'p' }));
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      status_code: 413,
      error: 'Payload Too Large',
      description: 'The request body is too large',
    });
    assert.equal(await sut.store.users.count(), before);
  });

  it('when a username is too long for the schema, then it is just invalid credentials', async () => {
    const res = await post(JSON.stringify({ username: 'x'.repeat(300), password: 'p' }));
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), INVALID_CREDENTIALS);
  });

  it('never shows a stack trace or a library message in any refusal', async () => {
    for (const [, body] of refusals) {
      const text = await (await post(body)).text();
      assert.doesNotMatch(text, /at .+\(.+:\d+:\d+\)|node_modules|SQLITE|ajv|FST_/i);
    }
  });
});

describe('JWT_AUTH_URL_RULE', () => {
  it('when set, then login is served at that path and not at /auth', async (t) => {
    const sut = await startTestApp({ JWT_AUTH_URL_RULE: '/api/login' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    const ok = await fetch(`${sut.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'user01', password: 'password01' }),
    });
    assert.equal(ok.status, 200);
    const old = await fetch(`${sut.url}/auth`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(old.status, 404);
    assert.deepEqual(await old.json(), { error: 'Not found' });
  });
});

describe('JWT_EXPIRATION_DELTA and JWT_NOT_BEFORE_DELTA', () => {
  it('when set, then issued tokens carry those deltas', async (t) => {
    const sut = await startTestApp({ JWT_EXPIRATION_DELTA: '60', JWT_NOT_BEFORE_DELTA: '5' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    const { payload } = decode(await sut.login('user01', 'password01'));
    assert.equal(payload.exp - payload.iat, 60);
    assert.equal(payload.nbf - payload.iat, 5);
  });
});
