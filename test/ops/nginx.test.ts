// deploy/nginx/holodule.conf, run by Debian's nginx in front of two holodule instances on one SQLite file,
// with a throwaway self-signed certificate: checked over HTTPS (HTTP/1.1 and HTTP/2).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { exitOf } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { PAGE_CSP } from '../../src/http/plugins/web-page.js';
import { FAKE_ASSET, FAKE_INDEX, FAKE_SCRIPT, makeFakeWebBuild } from '../support/fake-web-build.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DEPLOY_CONF = fileURLToPath(new URL('../../../deploy/nginx/holodule.conf', import.meta.url));
const which = (name: string): string | undefined => {
  const found = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  return found.stdout.trim().split('\n')[0] || undefined;
};
const NGINX = which('nginx');
const OPENSSL = which('openssl');
const SKIP = !NGINX
  ? 'nginx is not installed (.ci/run installs it: apt-get install -y nginx openssl)'
  : !OPENSSL
    ? 'openssl is not installed'
    : false;

// The client's own address: the test connects to nginx from another loopback address than nginx's own.
const CLIENT_ADDRESS = '127.0.0.2';
const PROXY_ADDRESS = '127.0.0.1';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('behind nginx with TLS (deploy/nginx/holodule.conf)', { skip: SKIP }, () => {
  const work = makeTempDir('holodule-nginx-');
  // The web page's build stands in for `vite build`: these tests check the proxy, not the page.
  const web = makeFakeWebBuild();
  let first: TestServer;
  let second: TestServer;
  let nginx: ReturnType<typeof spawn>;
  let port: number;
  let cert: Buffer;

  const https = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: PROXY_ADDRESS,
          port,
          method,
          path,
          servername: 'localhost',
          ca: cert,
          localAddress: CLIENT_ADDRESS,
          agent: false,
          headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  const json = (answer: Answer) => JSON.parse(answer.body.toString()) as Record<string, unknown>;

  before(async () => {
    const dir = work.path;
    execFileSync(
      OPENSSL!,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));

    const dataDir = join(dir, 'data');
    const env = {
      HOLODULE_TRUST_PROXY: PROXY_ADDRESS,
      HOLODULE_LOGIN_ADDRESS_FAILURES: '1000',
      HOLODULE_EVENTS_POLL_MS: '50',
      HOLODULE_WEB_ROOT: web.root,
    };
    first = await startTestServer(env, { dataDir });
    second = await startTestServer(env, { dataDir });

    // Another process may take a free port before nginx binds it (a busy machine): then try other ports.
    for (let attempt = 1; ; attempt++) {
      try {
        port = await freePort();
        const httpPort = await freePort();
        const site = readFileSync(DEPLOY_CONF, 'utf8')
          .replace('127.0.0.1:5001', new URL(first.url).host)
          .replace('127.0.0.1:5002', new URL(second.url).host)
          .replace('listen 443 ssl http2;', `listen ${PROXY_ADDRESS}:${port} ssl http2;`)
          .replace('listen 80;', `listen ${PROXY_ADDRESS}:${httpPort};`)
          .replace(/^\s*listen \[::\]:\d+.*$/gm, '')
          .replace('/etc/letsencrypt/live/holodule.example.org/fullchain.pem', join(dir, 'cert.pem'))
          .replace('/etc/letsencrypt/live/holodule.example.org/privkey.pem', join(dir, 'key.pem'))
          .replaceAll('holodule.example.org', 'localhost');
        writeFileSync(join(dir, 'holodule.conf'), site);
        writeFileSync(
          join(dir, 'nginx.conf'),
          [
            process.getuid?.() === 0 ? 'user root;' : '',
            'worker_processes 1;',
            'daemon off;',
            'master_process on;',
            `pid ${join(dir, 'nginx.pid')};`,
            'error_log stderr notice;',
            'events { worker_connections 128; }',
            'http {',
            '  include /etc/nginx/mime.types;',
            `  access_log ${join(dir, 'access.log')};`,
            ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
              (p) => `  ${p}_temp_path ${join(dir, `${p}-temp`)};`,
            ),
            `  include ${join(dir, 'holodule.conf')};`,
            '}',
          ].join('\n'),
        );
        const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
        assert.equal(check.status, 0, `nginx -t refused the rendered deploy file:\n${check.stderr}`);

        nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
        await new Promise<void>((resolve, reject) => {
          let err = '';
          nginx.stderr!.on('data', (d: Buffer) => {
            err += d.toString();
            if (/start worker process/.test(err)) resolve();
          });
          nginx.once('exit', (code) => reject(new Error(`nginx exited with ${code}:\n${err}`)));
        });
        break;
      } catch (err) {
        if (attempt >= 3 || !/Address already in use/.test(String(err))) throw err;
      }
    }

    await first.addUser('alice', 'alice-password');
    await first.store.streams.upsertMany([makeStream('20201209 230000'), makeStream('20201209 220000')]);
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await exitOf(nginx);
    }
    await first?.close();
    await second?.close();
    work.remove();
    web.remove();
  });

  test('logs in and reads a day over HTTPS, with HSTS', async () => {
    const login = await https('POST', '/auth', {
      body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
    });
    assert.equal(login.status, 200, login.body.toString());
    assert.match(String(login.headers['strict-transport-security']), /max-age=63072000/);
    const token = json(login).access_token as string;
    const day = await https('GET', '/holodules/20201209', { headers: { authorization: `JWT ${token}` } });
    assert.equal(day.status, 200, day.body.toString());
    assert.equal((json(day).holodules as unknown[]).length, 2);
  });

  test('serves the web page over HTTPS with its CSP, and a hashed asset immutable and precompressed', async () => {
    const page = await https('GET', '/', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['content-security-policy'], PAGE_CSP);
    assert.match(String(page.headers['strict-transport-security']), /max-age=63072000/);
    assert.equal(page.body.toString(), FAKE_INDEX);

    const asset = await https('GET', FAKE_ASSET, { headers: { 'accept-encoding': 'br' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(asset.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(asset.body).toString(), FAKE_SCRIPT);
    const gzipped = await https('GET', FAKE_ASSET, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzipped.body).toString(), FAKE_SCRIPT);
  });

  test("the web page's session cookies are Secure over HTTPS through the proxy", async () => {
    const signIn = await https('POST', '/api/v2/session', {
      body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
    });
    assert.equal(signIn.status, 200, signIn.body.toString());
    const cookies = signIn.headers['set-cookie'] ?? [];
    assert.equal(cookies.length, 2);
    for (const cookie of cookies) assert.match(cookie, /; Secure/i);
  });

  test('/healthz passes through the proxy', async () => {
    const health = await https('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.equal(json(health).status, 'ok');
  });

  test("the client's own address reaches the login throttle, and a spoofed X-Forwarded-For does not", async () => {
    const failures = async (address: string) => (await first.store.auth.loginCounter(`ip:${address}`))?.count ?? 0;
    const bad = JSON.stringify({ username: 'alice', password: 'not her password' });
    const plain = await https('POST', '/auth', { body: bad });
    const spoofed = await https('POST', '/auth', { body: bad, headers: { 'x-forwarded-for': '203.0.113.9' } });

    assert.equal(plain.status, 401);
    assert.equal(spoofed.status, 401);
    assert.equal(await failures(CLIENT_ADDRESS), 2, 'both failures counted against the real client address');
    assert.equal(await failures('203.0.113.9'), 0, 'the spoofed address is never counted');
    assert.equal(await failures(PROXY_ADDRESS), 0, "the proxy's own address is never counted");
  });

  test('passes a server-sent event through as it comes, without buffering it', { timeout: 20_000 }, async () => {
    const login = await https('POST', '/auth', {
      body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
    });
    const token = json(login).access_token as string;
    let received = '';
    let heard: () => void = () => {};
    const heardChange = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const { req, status, type } = await new Promise<{
      req: ReturnType<typeof httpsRequest>;
      status: number;
      type: string | undefined;
    }>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: PROXY_ADDRESS,
          port,
          path: '/api/v2/events',
          servername: 'localhost',
          ca: cert,
          localAddress: CLIENT_ADDRESS,
          agent: false,
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            received += chunk.toString();
            if (received.includes('event: stream.added')) heard();
          });
          resolve({ req, status: res.statusCode ?? 0, type: res.headers['content-type'] });
        },
      );
      req.on('error', reject);
      req.end();
    });
    try {
      assert.equal(status, 200);
      assert.match(String(type), /^text\/event-stream/);
      // A change in the shared store, as a collect by either instance would append it.
      const stream = { key: 'HL0503_20201209_230000' };
      await first.store.changes.append(
        [{ type: 'stream.added', talent: 'HL0503', data: JSON.stringify({ stream }) }],
        Date.now(),
      );
      await heardChange;
      assert.match(received, /id: \d+\nevent: stream\.added\ndata: /);
    } finally {
      req.destroy();
    }
  });

  test('speaks HTTP/2 and compresses large JSON with gzip', async () => {
    const session = http2Connect(`https://localhost:${port}`, {
      ca: cert,
      host: PROXY_ADDRESS,
      servername: 'localhost',
    });
    try {
      const answer = await new Promise<{ status: number; encoding: string | undefined; body: Buffer }>(
        (resolve, reject) => {
          const stream = session.request({ ':path': '/openapi.json', 'accept-encoding': 'gzip' });
          const chunks: Buffer[] = [];
          let status = 0;
          let encoding: string | undefined;
          stream.on('response', (headers) => {
            status = Number(headers[':status']);
            encoding = headers['content-encoding'] as string | undefined;
          });
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve({ status, encoding, body: Buffer.concat(chunks) }));
          stream.on('error', reject);
        },
      );
      assert.equal(answer.status, 200);
      assert.equal(answer.encoding, 'gzip');
      assert.equal(
        (JSON.parse(gunzipSync(answer.body).toString()) as { openapi: string }).openapi.startsWith('3.'),
        true,
      );
    } finally {
      session.close();
    }
  });

  test('refuses a body over 64 KiB at the proxy, and keeps /metrics off the internet', async () => {
    const big = await https('POST', '/auth', {
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(100_000) }),
    });
    assert.equal(big.status, 413);
    assert.equal((await https('GET', '/metrics')).status, 404);
  });

  test('when one instance stops, the other answers', async () => {
    await first.close();
    for (let i = 0; i < 4; i++) assert.equal((await https('GET', '/healthz')).status, 200);
  });
});
