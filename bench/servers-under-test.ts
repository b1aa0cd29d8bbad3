// How each server under test is started: holodule through its own CLI, the peers from bench/peers/.
import { fileURLToPath } from 'node:url';
import { PROFILE_RUN, type ServerSpec } from './server-process.js';

export const BENCH_SECRET = 'holodule-bench-secret-not-for-production-0123456789';

const script = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export interface HolodulePlacement {
  store: 'sqlite' | 'mongodb';
  sqlitePath?: string;
  mongoUrl?: string;
  database?: string;
  dataDir: string;
  logLevel: string;
  profileDir?: string;
}

export function holoduleSpec(name: string, at: HolodulePlacement): ServerSpec {
  return {
    name,
    args: [script('../src/cli/main.js'), 'serve'],
    nodeFlags: at.profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${at.profileDir}`, `--cpu-prof-name=${name}-${PROFILE_RUN}.cpuprofile`]
      : [],
    env: {
      HOLODULE_DATA_DIR: at.dataDir,
      HOLODULE_STORE: at.store,
      ...(at.store === 'sqlite'
        ? { HOLODULE_SQLITE_PATH: at.sqlitePath! }
        : { MONGODB_URL: at.mongoUrl!, HOLODULE_MONGODB_DATABASE: at.database! }),
      JWT_SECRET_KEY: BENCH_SECRET,
      HOLODULE_SAMPLE_DATA: 'false',
      // No schedule pages fetched from the internet in the middle of a measurement.
      HOLODULE_COLLECT_INTERVAL: '0',
      // Tokens must outlive a long row; the lifetime changes nothing in how a token is checked.
      JWT_EXPIRATION_DELTA: '3600',
      HOLODULE_LOG_LEVEL: at.logLevel,
    },
  };
}

export function ceilingSpec(sqlitePath: string, days: string[], name = 'ceiling'): ServerSpec {
  return {
    name,
    args: [script('./peers/ceiling-fastify.js')],
    env: { BENCH_SQLITE_PATH: sqlitePath, BENCH_DAYS: days.join(',') },
  };
}

export function rawHttpSpec(sqlitePath: string, days: string[], name = 'raw-http'): ServerSpec {
  return {
    name,
    args: [script('./peers/raw-http.js')],
    env: { BENCH_SQLITE_PATH: sqlitePath, BENCH_DAYS: days.join(',') },
  };
}

export function expressSpec(sqlitePath: string, secretAsKey = false): ServerSpec {
  return {
    name: secretAsKey ? 'express-secret-key' : 'express',
    args: [script('./peers/express-passport.js')],
    env: { BENCH_SQLITE_PATH: sqlitePath, JWT_SECRET_KEY: BENCH_SECRET, BENCH_SECRET_AS_KEY: secretAsKey ? '1' : '0' },
  };
}
