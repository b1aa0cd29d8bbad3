// A real holodule on a real SQLite file in a temp directory, or on a fresh MongoDB database when
// HOLODULE_TEST_STORE=mongodb (test/http/on-mongodb.test.ts runs the HTTP tests so): startTestServer listens on a
// random loopback port, startTestApp builds the same app without a socket and answers by Fastify's app.inject.
// `fetch`, `call` and `getWithToken` here reach either: a URL on a test app's made-up origin goes to app.inject,
// any other URL to the network (the global fetch), so a test reads the same whichever way its server runs.
import type { Role } from '../../src/schemas/user.js';
import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/bootstrap/server.js';
import type { Store } from '../../src/store/types.js';
import { createPasswordHasher } from '../../src/auth/passwords.js';
import { testMongo } from './mongo-server.js';
import { makeTempDir } from './temp-dir.js';
import pino from 'pino';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export interface TestServer {
  /** Where it answers: its loopback address, or (startTestApp) a made-up origin that `fetch` here injects into. */
  url: string;
  config: Config;
  store: Store;
  server: RunningServer;
  dataDir: string;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Adds a user whose password is hashed the way holodule hashes (or stored as plain text, the original's way). */
  addUser(
    username: string,
    password: string,
    options?: { plainText?: boolean; role?: Role; createdAt?: number },
  ): Promise<void>;
  /** POST /auth and return the access token. */
  login(username: string, password: string): Promise<string>;
  /** POST /auth and return the whole answer. */
  loginPair(username: string, password: string): Promise<{ access_token: string; refresh_token: string }>;
  /** A token signed with the test secret (or `key`), with any claims you like, even ones a library would refuse. */
  signRaw(payload: unknown, options?: { algorithm?: 'HS256' | 'HS384' | 'HS512'; key?: string }): string;
  close(): Promise<void>;
}

/** The store the HTTP tests run on in this process. */
export const TEST_STORE: 'sqlite' | 'mongodb' = process.env.HOLODULE_TEST_STORE === 'mongodb' ? 'mongodb' : 'sqlite';

/** The MongoDB database of each data directory: a second server on the same directory shares the first's store. */
const mongoDatabases = new Map<string, string>();

/**
 * For the MongoDB run: settings that point at a fresh database (or, for a second server on the same data
 * directory, the first one's), and how to drop it afterwards (only the server that made it drops it).
 */
async function storeEnv(dataDir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (TEST_STORE === 'sqlite') return { env: {}, drop: async () => {} };
  const mongo = await testMongo();
  if (!mongo) throw new Error('HOLODULE_TEST_STORE=mongodb but there is no MongoDB server to test on');
  const shared = mongoDatabases.get(dataDir);
  const database = shared ?? mongo.freshDatabaseName();
  mongoDatabases.set(dataDir, database);
  return {
    env: {
      HOLODULE_STORE: 'mongodb',
      MONGODB_URL: mongo.url,
      HOLODULE_MONGODB_DATABASE: database,
      HOLODULE_MONGODB_TIMEOUT_MS: '2000',
    },
    drop: async () => {
      if (shared !== undefined) return;
      mongoDatabases.delete(dataDir);
      await mongo.dropDatabase(database);
    },
  };
}

export interface TestServerOptions {
  /** Another server's data directory: both then share one store. */
  dataDir?: string;
  /** What the logger writes (info: every line, so tests can read the access log; warn: what a busy site runs). */
  logLevel?: 'info' | 'warn';
}

/** A holodule listening on a random loopback port: for behaviour that lives in the socket. */
export function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  return startTest(env, options, true);
}

/**
 * The same holodule (store, keys, background jobs, lifecycle) built without a socket: requests to its `url`
 * through this module's `fetch`, `call` and `getWithToken` go to Fastify's app.inject. For HTTP behaviour.
 */
export function startTestApp(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  return startTest(env, options, false);
}

/** Test apps by their made-up origin (http://app-N.holodule.invalid: .invalid never resolves, RFC 6761). */
const injectedApps = new Map<string, FastifyInstance>();
let appCount = 0;

async function startTest(
  env: Record<string, string>,
  options: TestServerOptions,
  listen: boolean,
): Promise<TestServer> {
  const dir = options.dataDir ? { path: options.dataDir, remove: () => {} } : makeTempDir();
  const store = await storeEnv(dir.path);
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({
    HOLODULE_DATA_DIR: dir.path,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET_KEY: TEST_SECRET,
    HOLODULE_SAMPLE_DATA: 'false',
    // Tests never reach the real schedule site.
    HOLODULE_COLLECT_INTERVAL: '0',
    ...store.env,
    ...env,
  });
  const server = await startServer(config, pino({ level: options.logLevel ?? 'info' }, sink), { listen });
  const hasher = await createPasswordHasher(config.passwords);
  let id = 100;
  const url = listen ? server.url.replace('localhost', '127.0.0.1') : `http://app-${++appCount}.holodule.invalid`;
  if (!listen) injectedApps.set(url, server.app);
  const loginPair = async (username: string, password: string) => {
    const res = await fetch(`${url}${config.jwt.authUrlRule}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { access_token: string; refresh_token: string };
    if (res.status !== 200 || !body.access_token)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    url,
    config,
    store: server.store,
    server,
    dataDir: dir.path,
    logs,
    async addUser(username, password, options = {}) {
      await server.store.users.create({
        id: String(id++),
        username,
        password: options.plainText ? password : await hasher.hash(password),
        ...(options.role ? { role: options.role } : {}),
        ...(options.createdAt !== undefined ? { createdAt: options.createdAt } : {}),
      });
    },
    async login(username, password) {
      return (await loginPair(username, password)).access_token;
    },
    loginPair,
    signRaw(payload, options = {}) {
      return signRawToken(payload, options.key ?? TEST_SECRET, options.algorithm ?? 'HS256');
    },
    async close() {
      await server.close();
      injectedApps.delete(url);
      await store.drop();
      dir.remove();
    },
  };
}

/** Statuses whose answer has no body (fetch's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The global fetch, except that a URL on a test app's origin is answered by that app's `inject`, the way fetch
 * would have sent and read it over a socket: the same default headers (Accept, Accept-Language, Accept-Encoding,
 * User-Agent, Sec-Fetch-Mode), the body's Content-Type and Content-Length, a decoded gzip/deflate/br body,
 * redirects followed unless `redirect` says otherwise.
 */
export async function fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const target = new URL(input);
  const app = injectedApps.get(target.origin);
  if (!app) return globalThis.fetch(input, init);
  // Request applies fetch's own rules to method, headers and body (forbidden methods throw, as fetch does).
  const request = new Request(target, init);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const defaults: Record<string, string> = {
    accept: '*/*',
    'accept-language': '*',
    'sec-fetch-mode': 'cors',
    'user-agent': 'node',
    'accept-encoding': 'gzip, deflate',
  };
  for (const [name, value] of Object.entries(defaults)) headers[name] ??= value;
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.length);
  else if (request.method === 'POST' || request.method === 'PUT') headers['content-length'] = '0';
  const answer = await app.inject({
    method: request.method as 'GET',
    url: `${target.pathname}${target.search}`,
    authority: target.host,
    headers,
    ...(body !== undefined ? { payload: body } : {}),
  });
  const location = answer.headers.location;
  if (REDIRECT_STATUSES.has(answer.statusCode) && typeof location === 'string' && init.redirect !== 'manual') {
    if (init.redirect === 'error') throw new TypeError('fetch failed: redirect');
    // fetch's rule: 303 turns anything but GET and HEAD into GET, 301 and 302 turn POST into GET.
    const toGet =
      (answer.statusCode === 303 && request.method !== 'GET' && request.method !== 'HEAD') ||
      ((answer.statusCode === 301 || answer.statusCode === 302) && request.method === 'POST');
    return fetch(new URL(location, target), toGet ? { ...init, method: 'GET', body: null } : init);
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(one));
  }
  const hasBody = !NULL_BODY_STATUSES.has(answer.statusCode) && request.method !== 'HEAD';
  const response = new Response(hasBody ? decoded(answer.rawPayload, responseHeaders.get('content-encoding')) : null, {
    status: answer.statusCode,
    statusText: answer.statusMessage,
    headers: responseHeaders,
  });
  Object.defineProperty(response, 'url', { value: target.href });
  return response;
}

/** An answer as sent: status, headers, and the body's bytes (never decoded). */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A request exactly as given, without fetch's rules, defaults or decoding (methods like TRACE, any header): by
 * app.inject for a test app's URL, else by node:http.
 */
export async function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const method = options.method ?? 'GET';
  const app = injectedApps.get(target.origin);
  if (app) {
    const answer = await app.inject({
      method: method as 'GET',
      url: `${target.pathname}${target.search}`,
      authority: target.host,
      headers: options.headers ?? {},
      ...(options.body !== undefined ? { payload: options.body } : {}),
    });
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String) : String(value);
    }
    return { status: answer.statusCode, headers, body: answer.rawPayload };
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The body as fetch hands it over: gzip, deflate and br undone (the header stays, as fetch leaves it). */
function decoded(payload: Buffer, encoding: string | null): Uint8Array<ArrayBuffer> {
  const body = (() => {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(payload);
      case 'deflate':
        return inflateSync(payload);
      case 'br':
        return brotliDecompressSync(payload);
      default:
        return payload;
    }
  })();
  return new Uint8Array(body);
}

/** fetch with the original's `Authorization: JWT <token>` header. */
export function getWithToken(url: string, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { authorization: `JWT ${token}`, ...headers } });
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a JWS by hand so tests can make tokens no JWT library would sign (attacks, broken claims). */
export function signRawToken(payload: unknown, key: string, algorithm: 'HS256' | 'HS384' | 'HS512' = 'HS256'): string {
  const input = `${b64url({ alg: algorithm, typ: 'JWT' })}.${b64url(payload)}`;
  const signature = createHmac(`sha${algorithm.slice(2)}`, key)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** A JSON request with an optional token, answering status and parsed body. */
export async function call(
  url: string,
  method: string,
  options: { token?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the server answered
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(options.token ? { authorization: `JWT ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
