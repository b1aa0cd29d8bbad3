// What Fastify itself refuses (bad URL, over-long parameter, unknown method, foreign body type or charset)
// answers in our documented shapes, with x-request-id, never with Fastify's codes or the URL echoed back.
// What Node's HTTP parser refuses before Fastify sees it needs a socket: http-parser-refusals.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawRequest, startTestApp, type TestServer } from '../support/test-server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Record<string, unknown>;
}

/** Exactly as given (rawRequest, not fetch: fetch refuses methods like TRACE and would not send every header as given). */
async function raw(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const res = await rawRequest(`${base}${path}`, { method, ...options });
  const text = res.body.toString('utf8');
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

function assertOurShape(res: Answer, path: string): void {
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(typeof res.headers['x-request-id'], 'string');
  assert.doesNotMatch(res.text, /FST_|statusCode|"code"/);
  if (path.length > 1) assert.ok(!res.text.includes(path), `the body does not echo ${path}`);
  assert.deepEqual(
    Object.keys(res.body).filter((k) => k !== 'error' && k !== 'description' && k !== 'status_code'),
    [],
  );
}

describe('requests Fastify refuses, in our shape', () => {
  let sut: TestServer;
  let admin: string;
  before(async () => {
    sut = await startTestApp();
    await sut.addUser('root', 'password01', { role: 'admin' });
    admin = await sut.login('root', 'password01');
  });
  after(() => sut.close());

  for (const path of ['/holodules/%ff', '/users/%E0%A4%A', '/nowhere/%ff']) {
    it(`when the URL has bad percent-encoding (${path}), then 400 Bad request without the path`, async () => {
      const res = await raw(sut.url, 'GET', path, { headers: { authorization: `JWT ${admin}` } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'Bad request', description: 'The URL is not valid (bad percent-encoding)' });
      assertOurShape(res, path);
    });
  }

  it('when a path parameter is over 3072 characters, then 414 in our shape without the path', async () => {
    const path = `/users/${'x'.repeat(4000)}`;
    const res = await raw(sut.url, 'GET', path, { headers: { authorization: `JWT ${admin}` } });
    assert.equal(res.status, 414);
    assert.deepEqual(res.body, { error: 'URI Too Long', description: 'A path segment is longer than 3072 characters' });
    assertOurShape(res, path);
  });

  it('when a username is 256 characters of 4 bytes each, then the route still answers (404, not 414)', async () => {
    const res = await raw(sut.url, 'GET', `/users/${encodeURIComponent('😀'.repeat(256))}`, {
      headers: { authorization: `JWT ${admin}` },
    });
    assert.equal(res.status, 404);
  });

  const notAllowed: Array<[string, string, string]> = [
    ['DELETE', '/healthz', 'GET, HEAD'],
    ['TRACE', '/me', 'GET, HEAD'],
    ['QUERY', '/holodules/20201209', 'GET, HEAD'],
    ['PUT', '/users', 'GET, HEAD, POST'],
    ['POST', '/users/someone', 'DELETE, GET, HEAD, PATCH'],
    ['GET', '/auth', 'POST'],
    ['OPTIONS', '/me/password', 'PUT'],
  ];
  for (const [method, path, allow] of notAllowed) {
    it(`when ${method} ${path} is asked, then 405 with Allow: ${allow}`, async () => {
      const res = await raw(sut.url, method, path);
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, allow);
      assert.deepEqual(res.body, { error: 'Method Not Allowed', description: `This path allows ${allow}` });
      assertOurShape(res, path);
    });
  }

  for (const method of ['GET', 'DELETE', 'QUERY', 'POST']) {
    it(`when ${method} asks for an unknown path, then it stays 404 {"error": "Not found"}`, async () => {
      const res = await raw(sut.url, method, '/no/such/thing');
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'Not found' });
      assert.equal(res.headers.allow, undefined);
    });
  }

  const json = (contentType: string, body: string) => ({ headers: { 'content-type': contentType }, body });
  const credentials = JSON.stringify({ username: 'root', password: 'password01' });

  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    it(`when POST /auth has Content-Type ${contentType}, then 415 in the jwt shape`, async () => {
      const res = await raw(sut.url, 'POST', '/auth', json(contentType, credentials));
      assert.equal(res.status, 415);
      assert.deepEqual(res.body, {
        status_code: 415,
        error: 'Unsupported Media Type',
        description: 'Content-Type must be application/json',
      });
      assertOurShape(res, '/auth');
    });
  }

  for (const charset of ['latin1', 'ISO-8859-1', 'utf-16', '"utf-16le"']) {
    it(`when POST /auth declares charset=${charset}, then 415 instead of reading it as UTF-8`, async () => {
      const res = await raw(sut.url, 'POST', '/auth', json(`application/json; charset=${charset}`, credentials));
      assert.equal(res.status, 415);
      assert.equal(res.body.status_code, 415);
      assert.match(String(res.body.description), /UTF-8/);
    });
  }

  for (const contentType of [
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; Charset=UTF-8',
  ]) {
    it(`when POST /auth has Content-Type ${contentType}, then it logs in`, async () => {
      const res = await raw(sut.url, 'POST', '/auth', json(contentType, credentials));
      assert.equal(res.status, 200);
    });
  }

  it('when POST /users has a foreign body type or charset, then 415 in the plain shape', async () => {
    for (const contentType of ['text/plain', 'application/json; charset=latin1']) {
      const res = await raw(sut.url, 'POST', '/users', {
        headers: { 'content-type': contentType, authorization: `JWT ${admin}` },
        body: JSON.stringify({ username: 'someone', password: 'password01' }),
      });
      assert.equal(res.status, 415);
      assert.deepEqual(Object.keys(res.body), ['error', 'description']);
      assert.equal(res.body.error, 'Unsupported Media Type');
    }
  });

  it('when POST /users has a body that is not JSON or is too large, then 400 and 413 in the plain shape', async () => {
    const headers = { 'content-type': 'application/json', authorization: `JWT ${admin}` };
    const bad = await raw(sut.url, 'POST', '/users', { headers, body: '{"username":' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: 'Bad request', description: 'The request body is not valid JSON' });
    const large = await raw(sut.url, 'POST', '/users', {
      headers,
      body: JSON.stringify({ username: 'x'.repeat(100_000), password: 'password01' }),
    });
    assert.equal(large.status, 413);
    assert.deepEqual(large.body, { error: 'Payload Too Large', description: 'The request body is too large' });
  });

  it('when a new password is too short or too long, then 400 says the rule in our words', async () => {
    const headers = { 'content-type': 'application/json', authorization: `JWT ${admin}` };
    for (const [password, rule] of [
      ['short', 'a password needs at least 8 characters'],
      ['x'.repeat(257), 'a password may be at most 256 characters (at most 1024 bytes)'],
      [12345678, 'body.password must be string'],
    ] as const) {
      const res = await raw(sut.url, 'POST', '/users', { headers, body: JSON.stringify({ username: 'u2', password }) });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'Bad request', description: rule });
    }
  });
});
