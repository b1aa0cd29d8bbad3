// A real holodule on a random loopback port, on a real SQLite file in a temp directory, or on a fresh
// MongoDB database when HOLODULE_TEST_STORE=mongodb (test/http/on-mongodb.test.ts runs the HTTP tests so).
import type { Role } from '../../src/schemas/user.js';
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/bootstrap/server.js';
import type { Store } from '../../src/store/types.js';
import { createPasswordHasher } from '../../src/auth/passwords.js';
import { testMongo } from './mongo-server.js';
import { makeTempDir } from './temp-dir.js';
import pino from 'pino';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export interface TestServer {
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

export async function startTestServer(
  env: Record<string, string> = {},
  options: { dataDir?: string } = {},
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
  const server = await startServer(config, pino({ level: 'info' }, sink));
  const hasher = await createPasswordHasher(config.passwords);
  let id = 100;
  const url = server.url.replace('localhost', '127.0.0.1');
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
      await store.drop();
      dir.remove();
    },
  };
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
