// A MongoDB server for tests: HOLODULE_TEST_MONGODB_URL when set, otherwise our own FerretDB on a temp
// directory and a random loopback port (built once by scripts/build-ferretdb.sh into a cache outside the repo).
import { freePort } from './free-port.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { homedir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { loadConfig, type Config } from '../../src/config.js';
import { makeTempDir } from './temp-dir.js';

export const FERRETDB_VERSION = 'v1.24.2';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface TestCredentials {
  username: string;
  password: string;
}

export interface TestMongo {
  /** A connection string without a database: `mongodb://127.0.0.1:PORT/` (credentials inside when it has auth). */
  readonly url: string;
  /** `127.0.0.1:PORT`, as the original's MONGODB_HOST. */
  readonly host: string;
  /** The user it was set up with (in `admin`), when it requires authentication. */
  readonly credentials: TestCredentials | undefined;
  /** True for our own FerretDB, which the fault tests may stop and start again (same port, same data). */
  readonly restartable: boolean;
  /** A database name no other test uses. */
  freshDatabaseName(): string;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP) and resolves once every one of its threads is stopped: connections stay
   * open and nothing answers, like a hung host.
   */
  freeze(): Promise<void>;
  thaw(): void;
}

function cacheDir(): string {
  return process.env.HOLODULE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'holodule');
}

/** The FerretDB binary, built first if it is not in the cache yet. Throws with the reason when it cannot be. */
function ferretdbBinary(): string {
  const given = process.env.HOLODULE_FERRETDB_BIN;
  if (given) return given;
  const cached = join(cacheDir(), 'bin', `ferretdb-${FERRETDB_VERSION}`);
  if (existsSync(cached)) return cached;
  const build = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'build-ferretdb.sh')], {
    env: { ...process.env, HOLODULE_FERRETDB_VERSION: FERRETDB_VERSION, HOLODULE_CACHE_DIR: cacheDir() },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (build.status !== 0 || !existsSync(cached)) {
    throw new Error(
      `could not build FerretDB ${FERRETDB_VERSION} (scripts/build-ferretdb.sh exited ${build.status ?? build.signal})`,
    );
  }
  return cached;
}

/** Resolves once the server answers ping (the driver waits for it); rejects if the process exits first. */
async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: READY_TIMEOUT_MS });
  // 'close' (not 'exit'): its output is all read by then, so the error says why it stopped.
  const exited = once(child, 'close').then(([code, signal]) => {
    throw new Error(`FerretDB exited (${code ?? signal}) before it was ready:\n${output()}`);
  });
  try {
    await Promise.race([client.db('admin').command({ ping: 1 }), exited]);
  } finally {
    exited.catch(() => undefined);
    await client.close();
  }
}

class FerretDbServer implements TestMongo {
  readonly restartable = true;
  private child: ChildProcess | undefined;
  private readonly lines: string[] = [];
  private counter = 0;

  constructor(
    private readonly binary: string,
    private readonly dir: { path: string; remove: () => void },
    private readonly port: number,
    readonly credentials: TestCredentials | undefined,
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    if (!this.credentials) return `mongodb://${this.host}/`;
    const { username, password } = this.credentials;
    return `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${this.host}/?authSource=admin`;
  }

  freshDatabaseName(): string {
    return `test_${process.pid}_${++this.counter}`;
  }

  dropDatabase(name: string): Promise<void> {
    return dropDatabaseAt(this.url, name);
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      this.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.dir.path}/`,
        `--state-dir=${this.dir.path}`,
        `--listen-addr=127.0.0.1:${this.port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=WARN',
        ...(this.credentials
          ? [
              // FerretDB 1.24's SCRAM authentication, with one user in admin as the original's deployment had.
              '--test-enable-new-auth',
              '--setup-database=admin',
              `--setup-username=${this.credentials.username}`,
              `--setup-password=${this.credentials.password}`,
            ]
          : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.lines.splice(0, Math.max(0, this.lines.length - 20));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    try {
      await waitUntilReady(this.url, child, () => this.lines.join('\n'));
    } catch (err) {
      child.kill('SIGKILL');
      this.child = undefined;
      throw err;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }

  async close(): Promise<void> {
    await this.stop();
    this.dir.remove();
  }

  async freeze(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    child.kill('SIGSTOP');
    // The signal is sent at once but takes effect when each thread next runs; on a loaded machine a request
    // could still be answered in between. Wait until the kernel reports every thread stopped.
    for (let look = 0; look < 1000; look++) {
      if (allThreadsStopped(child.pid)) return;
      await sleep(5);
    }
    throw new Error('the test MongoDB server did not stop on SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  killNow(): void {
    this.child?.kill('SIGCONT');
    this.child?.kill('SIGKILL');
  }
}

class ExternalServer implements TestMongo {
  readonly restartable = false;
  readonly credentials = undefined;
  private counter = 0;
  constructor(readonly url: string) {}
  get host(): string {
    return this.url.replace(/^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*).*$/s, '$1');
  }
  freshDatabaseName(): string {
    return `holodule_test_${process.pid}_${Date.now().toString(36)}_${++this.counter}`;
  }
  dropDatabase(name: string): Promise<void> {
    return dropDatabaseAt(this.url, name);
  }
  async stop(): Promise<void> {
    throw new Error('cannot stop the server at HOLODULE_TEST_MONGODB_URL');
  }
  async start(): Promise<void> {}
  async freeze(): Promise<void> {
    throw new Error('cannot freeze the server at HOLODULE_TEST_MONGODB_URL');
  }
  thaw(): void {}
}

/** The store's MongoDB settings for a test database, with a short timeout so fault tests finish quickly. */
export function mongoSettings(url: string, database: string, env: Record<string, string> = {}): Config['mongo'] {
  return loadConfig({
    MONGODB_URL: url,
    HOLODULE_MONGODB_DATABASE: database,
    HOLODULE_MONGODB_TIMEOUT_MS: '4000',
    ...env,
  }).mongo;
}

async function dropDatabaseAt(url: string, name: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

let shared: Promise<TestMongo | null> | undefined;

/**
 * The MongoDB server for this test file (node --test runs each file in its own process), stopped after
 * its tests. When there is none it says so loudly and registers a test that fails under CI=true and is
 * skipped elsewhere, and returns null: the caller then registers no MongoDB tests.
 */
export function testMongo(): Promise<TestMongo | null> {
  shared ??= startTestMongo();
  return shared;
}

/**
 * A FerretDB of this file's own that requires authentication (user in `admin`), for the original's
 * MONGODB_USER/MONGODB_PASSWORD. Null, with the same loud report, when there is none; also null (and a
 * skipped test) when HOLODULE_TEST_MONGODB_URL is set, since we cannot set up users on that server.
 */
export async function testMongoWithAuth(credentials: TestCredentials): Promise<TestMongo | null> {
  if (process.env.HOLODULE_TEST_MONGODB_URL?.trim()) {
    it('authenticates against a server with users', {
      skip: 'HOLODULE_TEST_MONGODB_URL is set: these tests need their own FerretDB',
    }, () => {});
    return null;
  }
  return startFerretDb(credentials);
}

async function startTestMongo(): Promise<TestMongo | null> {
  const external = process.env.HOLODULE_TEST_MONGODB_URL?.trim();
  if (external) return new ExternalServer(external);
  return startFerretDb(undefined);
}

async function startFerretDb(credentials: TestCredentials | undefined): Promise<TestMongo | null> {
  let server: FerretDbServer | undefined;
  // Another process may take the free port before FerretDB binds it (a busy machine): then try another port.
  for (let attempt = 1; ; attempt++) {
    try {
      server = new FerretDbServer(ferretdbBinary(), makeTempDir('holodule-ferretdb-'), await freePort(), credentials);
      await server.start();
      break;
    } catch (err) {
      await server?.close();
      const message = err instanceof Error ? err.message : String(err);
      if (attempt < 3 && /address already in use/i.test(message)) continue;
      reportUnavailable(message);
      return null;
    }
  }
  const started = server;
  process.once('exit', () => started.killNow());
  after(() => started.close());
  return started;
}

function reportUnavailable(reason: string): void {
  const inCi = process.env.CI === 'true';
  const message =
    `NO MONGODB SERVER: the MongoDB tests in this file did not run. ${reason}. ` +
    'Set HOLODULE_TEST_MONGODB_URL to a MongoDB you can spare, or install Go so the tests can build FerretDB.';
  process.stderr.write(`\n${'!'.repeat(100)}\n${message}\n${'!'.repeat(100)}\n\n`);
  it('has a MongoDB server to run the MongoDB tests on', { skip: inCi ? false : message }, () => {
    throw new Error(message);
  });
}

/** Whether every thread of `pid` is in the stopped state (T), as /proc shows it. */
function allThreadsStopped(pid: number): boolean {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.every((task) => {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    // The state is the first field after the parenthesised command name.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  });
}
