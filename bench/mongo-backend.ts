// The MongoDB for the MongoDB row: started through bench/mongo-host.ts, filled with the same schedule through
// holodule's MongoDB store, stopped when the row is done.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import { fillStore, type DataSpec } from './prepare-data.js';

const HOST = fileURLToPath(new URL('./mongo-host.js', import.meta.url));

export interface MongoBackend {
  url: string;
  /** `FerretDB` (the test suite's) or `HOLODULE_TEST_MONGODB_URL` (a server of the user's). */
  server: string;
  database: string;
  stop(): Promise<void>;
}

const DATABASE = 'holodule_bench';

/** The server with `spec`'s schedule and the bench user in it, or the reason there is none. */
export async function startMongoBackend(
  spec: DataSpec,
  log: (line: string) => void,
): Promise<MongoBackend | { unavailable: string }> {
  // The helper speaks node:test's TAP on stdout; only its stderr (the reason when there is no server) matters.
  const child = fork(HOST, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  type Report = { url: string; server: string } | { url: null; reason: string };
  const message = await new Promise<Report>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Report));
    child.once('exit', (code, signal) => reject(new Error(`MongoDB host exited (${code ?? signal}) before reporting`)));
  });
  const stop = async () => {
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  if (message.url === null) {
    await stop();
    return { unavailable: message.reason };
  }
  try {
    const store = await openStore(
      // A batch of 5,000 streams takes FerretDB a while: the fill gets a minute per round trip, not 5 s.
      loadConfig({
        MONGODB_URL: message.url,
        HOLODULE_MONGODB_DATABASE: DATABASE,
        HOLODULE_COLLECT_INTERVAL: '0',
        HOLODULE_MONGODB_TIMEOUT_MS: '60000',
      }),
    );
    try {
      log(`writing ${spec.streams} streams into MongoDB …`);
      await fillStore(store, spec);
    } finally {
      await store.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: message.url, server: message.server, database: DATABASE, stop };
}
