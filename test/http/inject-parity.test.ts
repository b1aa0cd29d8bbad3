// The fast tier's promise: a test reads the same whether its holodule listens on a socket (startTestServer) or
// answers by app.inject (startTestApp), because test-server.ts's fetch sends an injected request the way fetch
// sends one over a socket (default headers, body and its type, decoding, redirects). Here both answer the same
// requests, and every answer must match: status, the headers a test reads, and the body.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAKE_ASSET, makeFakeWebBuild } from '../support/fake-web-build.js';
import { makeStream } from '../support/streams.js';
import { fetch, startTestApp, startTestServer, type TestServer } from '../support/test-server.js';

/** The headers that depend on neither the moment nor the request's id. */
const COMPARED_HEADERS = [
  'content-type',
  'content-encoding',
  'content-length',
  'cache-control',
  'vary',
  'allow',
  'www-authenticate',
  'etag',
  'access-control-allow-origin',
  'content-security-policy',
];

const REQUESTS: Array<[string, string, RequestInit?]> = [
  ['the health check', '/healthz'],
  ['a day without a token (public read; gzip by default, decoded)', '/holodules/20201209'],
  ['a day asked for brotli', '/holodules/20201209', { headers: { 'accept-encoding': 'br' } }],
  ['a bad date', '/holodules/2020-12-09'],
  ['an unknown path', '/no/such/thing'],
  ['an unknown path a browser asks for', '/no/such/thing', { headers: { accept: 'text/html' } }],
  [
    'a login with wrong credentials',
    '/auth',
    {
      method: 'POST',
      body: '{"username":"nobody","password":"password01"}',
      headers: { 'content-type': 'application/json' },
    },
  ],
  ['a login sent as text (fetch names the type)', '/auth', { method: 'POST', body: '{"username":"nobody"}' }],
  ['a login sent as a form', '/auth', { method: 'POST', body: new URLSearchParams({ username: 'nobody' }) }],
  ['a POST without a body', '/auth/refresh', { method: 'POST' }],
  ['a method the path does not allow', '/healthz', { method: 'DELETE' }],
  ['the docs (a redirect, followed)', '/docs'],
  ['a page (gzip by default, decoded)', '/talents'],
  ['a page asked for brotli', '/talents', { headers: { 'accept-encoding': 'br' } }],
  ['a page by HEAD', '/talents', { method: 'HEAD' }],
  ['a hashed asset', FAKE_ASSET],
  [
    'a cross-origin read',
    '/api/v2/streams?from=2020-12-09&to=2020-12-09',
    { headers: { origin: 'https://app.example' } },
  ],
  ['the OpenAPI document', '/openapi.json'],
];

describe('startTestApp answers what startTestServer answers', () => {
  const build = makeFakeWebBuild();
  const env = {
    HOLODULE_WEB_ROOT: build.root,
    HOLODULE_PUBLIC_READ: 'true',
    HOLODULE_CORS_ORIGINS: 'https://app.example',
  };
  let socket: TestServer;
  let injected: TestServer;

  before(async () => {
    [socket, injected] = await Promise.all([startTestServer(env), startTestApp(env)]);
    const stream = makeStream('20201209 230000');
    for (const sut of [socket, injected]) await sut.store.streams.upsertMany([stream]);
  });
  after(async () => {
    await Promise.all([socket.close(), injected.close()]);
    build.remove();
  });

  for (const [what, path, init] of REQUESTS) {
    it(`${what}: the same status, headers and body`, async () => {
      const [a, b] = await Promise.all([fetch(`${socket.url}${path}`, init), fetch(`${injected.url}${path}`, init)]);
      assert.equal(b.status, a.status);
      for (const name of COMPARED_HEADERS) assert.equal(b.headers.get(name), a.headers.get(name), name);
      const [bodyA, bodyB] = await Promise.all([a.text(), b.text()]);
      // A server's own address appears in nothing it answers but links it builds from the Host header.
      assert.equal(bodyB.replaceAll(injected.url, 'ORIGIN'), bodyA.replaceAll(socket.url, 'ORIGIN'));
    });
  }
});
