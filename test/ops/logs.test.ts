// Logs for people (pretty, one line per request) and machines (JSON): secrets never appear in either.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createPasswordHasher } from '../../src/auth/passwords.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, isPrettyLog } from '../../src/http/logger.js';
import { startServer } from '../../src/http/server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TEST_SECRET } from '../support/test-server.js';

const PASSWORD = 'pa55-word-nobody-may-read';
const METRICS_TOKEN = 'metrics-token-nobody-may-read';

/** Runs a login, an authenticated request and a logout through a server logging in `format`; returns its log text. */
async function logOfASession(format: 'json' | 'pretty'): Promise<{ text: string; secrets: string[] }> {
  const dir = makeTempDir();
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const config = loadConfig({
    HOLODULE_DATA_DIR: dir.path,
    PORT: '0',
    JWT_SECRET_KEY: TEST_SECRET,
    HOLODULE_SAMPLE_DATA: 'false',
    HOLODULE_COLLECT_INTERVAL: '0',
    HOLODULE_LOG_LEVEL: 'trace',
    HOLODULE_LOG_FORMAT: format,
    HOLODULE_METRICS_TOKEN: METRICS_TOKEN,
  });
  const server = await startServer(config, createLogger(config, { destination, isTTY: false }));
  try {
    const hasher = await createPasswordHasher(config.passwords);
    await server.store.users.create({ id: '1', username: 'alice', password: await hasher.hash(PASSWORD) });
    const url = server.url.replace('localhost', '127.0.0.1');
    const login = await fetch(`${url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=cookie-nobody-may-read' },
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    const tokens = (await login.json()) as { access_token: string; refresh_token: string };
    assert.equal(login.status, 200);
    const day = await fetch(`${url}/holodules/20201209`, { headers: { authorization: `JWT ${tokens.access_token}` } });
    // An empty day is the contract's 404; either way it went through the token check.
    assert.equal(day.status, 404);
    await fetch(`${url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    });
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    // An API key and a calendar feed's URL, made and used.
    const json = { authorization: `JWT ${tokens.access_token}`, 'content-type': 'application/json' };
    const made = await fetch(`${url}/me/api-keys`, { method: 'POST', headers: json, body: '{"name":"bot"}' });
    const { key } = (await made.json()) as { key: string };
    assert.equal((await fetch(`${url}/holodules/20201210`, { headers: { 'x-api-key': key } })).status, 404);
    const feed = await fetch(`${url}/me/feeds`, { method: 'POST', headers: json, body: '{}' });
    const feedUrl = ((await feed.json()) as { url: string }).url;
    assert.equal((await fetch(feedUrl)).status, 200);
    const feedToken = feedUrl.split('/').at(-1)!.replace('.ics', '');
    // The web page's cookie session: signed in, refreshed with the cookie and its CSRF token, signed out.
    const session = await fetch(`${url}/api/v2/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    const sessionCookies = session.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
    const csrfToken = sessionCookies.find((c) => c.startsWith('holodule_csrf='))!.slice('holodule_csrf='.length);
    const sessionHeaders = { cookie: sessionCookies.join('; '), 'x-csrf-token': csrfToken };
    const refreshed = await fetch(`${url}/api/v2/session/refresh`, { method: 'POST', headers: sessionHeaders });
    assert.equal(refreshed.status, 200);
    const sessionAccess = ((await refreshed.json()) as { access_token: string }).access_token;
    const rotated = refreshed.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
    const signedOut = await fetch(`${url}/api/v2/session`, {
      method: 'DELETE',
      headers: { cookie: rotated.join('; '), 'x-csrf-token': csrfToken },
    });
    assert.equal(signedOut.status, 204);
    // A careless log call with a whole request's headers and a body: the redaction still catches them.
    server.app.log.info(
      {
        req: { headers: { authorization: `Bearer ${tokens.access_token}`, cookie: 'session=cookie-nobody-may-read' } },
        body: { username: 'alice', password: PASSWORD },
      },
      'careless',
    );
    return {
      text,
      secrets: [
        PASSWORD,
        tokens.access_token,
        tokens.refresh_token,
        METRICS_TOKEN,
        TEST_SECRET,
        'cookie-nobody-may-read',
        key,
        feedToken,
        ...sessionCookies.map((c) => c.split('=')[1]!),
        ...rotated.map((c) => c.split('=')[1]!),
        sessionAccess,
      ],
    };
  } finally {
    await server.close();
    dir.remove();
  }
}

describe('logs', () => {
  for (const format of ['json', 'pretty'] as const) {
    test(`in ${format} format, no password, token, secret or cookie appears after a login and authenticated requests`, async () => {
      const { text, secrets } = await logOfASession(format);
      assert.match(text, /\/holodules\/20201209/);
      assert.match(text, /\[redacted\]/);
      for (const secret of secrets) assert.equal(text.includes(secret), false, `the ${format} log holds a secret`);
    });
  }

  test('JSON logs are one JSON object a line with Fastify request lines', async () => {
    const { text } = await logOfASession('json');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
    assert.ok(lines.some((l) => l.msg === 'incoming request' && l.req?.url === '/holodules/20201209'));
  });

  test('pretty logs give one line per request: method, URL, status and time, and no JSON lines', async () => {
    const { text } = await logOfASession('pretty');
    const lines = text.trim().split('\n');
    const requestLines = lines.filter((l) => l.includes('/holodules/20201209'));
    assert.equal(requestLines.length, 1, requestLines.join('\n'));
    assert.match(requestLines[0]!, /INFO.*GET \/holodules\/20201209 404 \d+\.\d ms/);
    assert.equal(
      lines.some((l) => l.startsWith('{')),
      false,
    );
  });

  test('the format follows HOLODULE_LOG_FORMAT, else whether the output is a terminal', () => {
    assert.equal(isPrettyLog({ logFormat: 'auto' }, true), true);
    assert.equal(isPrettyLog({ logFormat: 'auto' }, false), false);
    assert.equal(isPrettyLog({ logFormat: 'json' }, true), false);
    assert.equal(isPrettyLog({ logFormat: 'pretty' }, false), true);
    assert.throws(
      () => loadConfig({ HOLODULE_LOG_FORMAT: 'xml' }),
      /HOLODULE_LOG_FORMAT: expected one of auto, pretty, json/,
    );
  });
});
