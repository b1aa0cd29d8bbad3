// A collector wired to real parts: a SQLite store in a temp dir, and a local server playing the site and YouTube.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createCollector, type Collector } from '../../src/collector/collect.js';
import { loadConfig, type CollectorConfig } from '../../src/config.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Stream } from '../../src/store/types.js';
import { captureLog, type CapturedLog } from './capture-log.js';
import { FakeYouTube } from './fake-youtube.js';
import { startFixtureServer, type FixtureServer } from './fixture-http-server.js';
import { makeTempDir } from './temp-dir.js';

export interface Harness {
  sut: Collector;
  server: FixtureServer;
  youtube: FakeYouTube;
  store: SqliteStore;
  config: CollectorConfig;
  captured: CapturedLog;
  /** The collector's clock: move it to pass a pause. */
  clock: { now: Date };
  /** Everything stored, in key order. */
  stored(): Promise<Stream[]>;
}

export interface HarnessOptions {
  /** Page paths on the local server (HOLODULE_URL); default one page at /. */
  pages?: string[];
  youtubeKey?: boolean;
  list?: boolean;
  /** When the collector thinks it is (the page gives no year). */
  now?: Date;
  env?: Record<string, string>;
}

export async function startHarness(t: TestContext, options: HarnessOptions = {}): Promise<Harness> {
  const server = await startFixtureServer();
  const dir = makeTempDir();
  const store = new SqliteStore(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await server.close();
    await store.close();
    dir.remove();
  });
  const youtube = new FakeYouTube(server);
  const config = loadConfig({
    HOLODULE_URL: (options.pages ?? ['/']).map((p) => `${server.url}${p}`).join(','),
    HOLODULE_LIST_URL: options.list === false ? 'off' : `${server.url}/api/list`,
    ...(options.youtubeKey === false ? {} : { YOUTUBE_API_KEY: youtube.key }),
    HOLODULE_YOUTUBE_API_URL: youtube.baseUrl,
    HOLODULE_COLLECT_TIMEOUT_MS: '5000',
    HOLODULE_COLLECT_RETRIES: '1',
    HOLODULE_COLLECT_RETRY_DELAY_MS: '1',
    ...options.env,
  }).collector;
  const captured = captureLog();
  const clock = { now: options.now ?? new Date('2020-12-09T03:00:00Z') };
  const sut = createCollector({ store, config, log: captured.log, now: () => clock.now });
  return {
    sut,
    server,
    youtube,
    store,
    config,
    captured,
    clock,
    stored: () => store.streams.list(null, 1000),
  };
}
