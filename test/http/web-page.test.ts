// The web page served by the API's server: page paths answer the app shell with the contract's headers, assets
// are immutable and precompressed, a browser's unknown path is an HTML 404 while API clients keep JSON, and no
// API route can shadow a page (src/http/path-rule.ts).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync } from 'node:zlib';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PAGE_CSP, chooseEncoding } from '../../src/http/plugins/web-page.js';
import { PAGE_ROUTES, apiRouteProblem, collidesWithPage, isApiPath } from '../../src/http/path-rule.js';
import { FAKE_ASSET, FAKE_INDEX, FAKE_SCRIPT, makeFakeWebBuild } from '../support/fake-web-build.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request without fetch's automatic decompression: the bytes as sent. */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const PAGE_PATHS = ['/', '/schedule/2020-12-09', '/talents', '/talents/HL0503', '/login', '/account', '/admin/users'];

function assertPageHeaders(res: Raw): void {
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(res.headers['content-security-policy'], PAGE_CSP);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'same-origin');
}

describe('the web page', () => {
  let sut: TestServer;
  let build: ReturnType<typeof makeFakeWebBuild>;

  before(async () => {
    build = makeFakeWebBuild();
    sut = await startTestServer({ HOLODULE_WEB_ROOT: build.root });
  });
  after(async () => {
    await sut.close();
    build.remove();
  });

  it('answers every page path, without a token, with index.html and the contract headers', async () => {
    for (const path of PAGE_PATHS) {
      const res = await raw(`${sut.url}${path}`);

      assert.equal(res.status, 200, path);
      assertPageHeaders(res);
      assert.equal(res.headers['cache-control'], 'no-cache', path);
      assert.equal(res.body.toString(), FAKE_INDEX, path);
    }
  });

  it('the CSP is exactly the contract: nothing inline, nothing from a CDN', () => {
    assert.equal(
      PAGE_CSP,
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://i.ytimg.com " +
        'https://img.youtube.com https://yt3.ggpht.com https://yt3.googleusercontent.com; connect-src ' +
        "'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('answers HEAD on a page path with the headers and no body', async () => {
    const res = await raw(`${sut.url}/talents`, {}, 'HEAD');

    assert.equal(res.status, 200);
    assertPageHeaders(res);
    assert.equal(res.body.length, 0);
  });

  it('sends the page brotli- or gzip-compressed by Accept-Encoding, and says it varies on it', async () => {
    const br = await raw(`${sut.url}/`, { 'accept-encoding': 'gzip, br' });
    const gzip = await raw(`${sut.url}/`, { 'accept-encoding': 'gzip' });
    const none = await raw(`${sut.url}/`, { 'accept-encoding': 'identity' });

    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(br.body, brotliCompressSync(FAKE_INDEX));
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(none.body.toString(), FAKE_INDEX);
    for (const res of [br, gzip, none]) assert.match(String(res.headers.vary), /accept-encoding/i);
  });

  it('answers an unchanged page with 304 to If-None-Match', async () => {
    const first = await raw(`${sut.url}/login`);

    const again = await raw(`${sut.url}/login`, { 'if-none-match': String(first.headers.etag) });

    assert.equal(again.status, 304);
  });

  it('serves a hashed asset immutable for a year, precompressed by Accept-Encoding', async () => {
    const br = await raw(`${sut.url}${FAKE_ASSET}`, { 'accept-encoding': 'br' });
    const gzip = await raw(`${sut.url}${FAKE_ASSET}`, { 'accept-encoding': 'gzip' });
    const plain = await raw(`${sut.url}${FAKE_ASSET}`);

    assert.equal(br.status, 200);
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(br.body, brotliCompressSync(FAKE_SCRIPT));
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(plain.body.toString(), FAKE_SCRIPT);
    for (const res of [br, gzip, plain]) assert.match(String(res.headers.vary), /accept-encoding/i);
  });

  it('serves the icon', async () => {
    const res = await raw(`${sut.url}/favicon.svg`);

    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'image/svg+xml');
  });

  it('when a browser asks for an unknown path, then it answers 404 with the app shell (its not-found view)', async () => {
    for (const path of ['/nowhere', '/schedule/tomorrow', '/talents/HL0503/extra', '/assets/gone-000000.js']) {
      const res = await raw(`${sut.url}${path}`, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });

      assert.equal(res.status, 404, path);
      assertPageHeaders(res);
      assert.equal(res.body.toString(), FAKE_INDEX, path);
    }
  });

  it("API clients' unknown paths keep the contract's JSON 404", async () => {
    for (const path of ['/nowhere', '/schedule/tomorrow', '/assets/gone-000000.js']) {
      const res = await fetch(`${sut.url}${path}`);

      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'Not found' }, path);
    }
  });

  it('an unknown path in the API space stays JSON even for a browser', async () => {
    const html = { accept: 'text/html' };

    const v1 = await fetch(`${sut.url}/holodules/2020/12`, { headers: html });
    const v2 = await fetch(`${sut.url}/api/v2/nowhere`, { headers: html });

    assert.equal(v1.status, 404);
    assert.deepEqual(await v1.json(), { error: 'Not found' });
    assert.equal(v2.status, 404);
    assert.match(String(v2.headers.get('content-type')), /json/);
  });

  it('answers a method a page does not serve with 405 and Allow', async () => {
    const res = await fetch(`${sut.url}/login`, { method: 'POST' });

    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  it('keeps page and asset routes out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${sut.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);

    for (const page of [...PAGE_ROUTES, '/schedule/{date}', '/talents/{code}', '/favicon.svg']) {
      assert.ok(!paths.includes(page), page);
    }
    assert.ok(!paths.some((p) => p.startsWith('/assets')));
    assert.ok(paths.includes('/api/v2/session'));
    assert.ok(paths.includes('/api/v2/me/favourites'));
  });

  it('no registered API route collides with a page path, and each is in the API space', () => {
    const routes = sut.server.app.apiRoutes;
    assert.ok(routes.length > 40, `only ${routes.length} API routes seen`);

    const problems = routes.flatMap(({ method, url }) => {
      const problem = apiRouteProblem(url, sut.config.jwt.authUrlRule);
      return problem === null ? [] : [`${method} ${problem}`];
    });

    assert.deepEqual(problems, []);
  });
});

describe('the path rule', () => {
  it('names API routes that would shadow a page, or that sit outside the API space', () => {
    for (const route of ['/', '/account', '/talents/:code', '/schedule/:day', '/assets/*', '/:anything']) {
      assert.match(String(apiRouteProblem(route, '/auth')), /shadow a web page/, route);
    }
    assert.match(String(apiRouteProblem('/streams', '/auth')), /go under \/api\//);
    for (const route of ['/api/v3/things', '/holodules/:date', '/me/favourites', '/docs/*', '/auth/refresh']) {
      assert.equal(apiRouteProblem(route, '/auth'), null, route);
    }
    assert.equal(apiRouteProblem('/signin/refresh', '/signin'), null);
  });

  it('tells page paths from API paths', () => {
    for (const page of ['/', '/talents', '/schedule/2020-12-09', '/assets/app-abc123.js']) {
      assert.equal(isApiPath(page, '/auth'), false, page);
      assert.equal(collidesWithPage(page), true, page);
    }
    for (const api of ['/api/v2/streams', '/auth', '/auth/refresh', '/me', '/users/x', '/.well-known/jwks.json']) {
      assert.equal(isApiPath(api, '/auth'), true, api);
      assert.equal(collidesWithPage(api), false, api);
    }
    assert.equal(isApiPath('/authors', '/auth'), false);
  });

  it('refuses at start a JWT_AUTH_URL_RULE that would shadow a page, naming the setting', () => {
    for (const rule of ['/', '/login', '/talents', '/account', '/assets', '/schedule']) {
      assert.throws(
        () => loadConfig({ JWT_AUTH_URL_RULE: rule }),
        (err: unknown) =>
          err instanceof ConfigError && err.variable === 'JWT_AUTH_URL_RULE' && /web page/.test(err.message),
        rule,
      );
    }
    assert.equal(loadConfig({ JWT_AUTH_URL_RULE: '/api/login' }).jwt.authUrlRule, '/api/login');
  });

  it('chooses br over gzip, honours q=0, and falls back to none', () => {
    const both = new Set(['br', 'gzip', 'identity'] as const);
    assert.equal(chooseEncoding('gzip, deflate, br', both), 'br');
    assert.equal(chooseEncoding('br;q=0, gzip', both), 'gzip');
    assert.equal(chooseEncoding('*', both), 'br');
    assert.equal(chooseEncoding(undefined, both), 'identity');
    assert.equal(chooseEncoding('br', new Set(['gzip', 'identity'] as const)), 'identity');
  });
});

describe('the web page with CORS on', () => {
  it("keeps CORS's Vary: Origin beside the page's Vary: Accept-Encoding", async (t) => {
    const build = makeFakeWebBuild();
    const sut = await startTestServer({ HOLODULE_WEB_ROOT: build.root, HOLODULE_CORS_ORIGINS: 'https://app.example' });
    t.after(async () => {
      await sut.close();
      build.remove();
    });

    const res = await raw(`${sut.url}/`, { origin: 'https://app.example' });

    assert.equal(res.status, 200);
    const vary = String(res.headers.vary).toLowerCase();
    assert.match(vary, /origin/);
    assert.match(vary, /accept-encoding/);
  });
});

describe('the web page before it is built', () => {
  it('answers page paths 503 with a plain HTML page saying so, and unknown paths still 404', async (t) => {
    const empty = makeTempDir('holodule-no-web-');
    const sut = await startTestServer({ HOLODULE_WEB_ROOT: empty.path });
    t.after(async () => {
      await sut.close();
      empty.remove();
    });

    const page = await raw(`${sut.url}/`);
    const missing = await raw(`${sut.url}/nowhere`, { accept: 'text/html' });
    const asset = await fetch(`${sut.url}${FAKE_ASSET}`);

    assert.equal(page.status, 503);
    assertPageHeaders(page);
    assert.match(page.body.toString(), /not built/);
    assert.doesNotMatch(page.body.toString(), /at .*\.js:\d+/);
    assert.equal(missing.status, 404);
    assertPageHeaders(missing);
    assert.equal(asset.status, 404);
    assert.deepEqual(await asset.json(), { error: 'Not found' });
    assert.ok(sut.logs.some((line) => String(line.msg).includes('not built')));
  });
});
