import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { startFixtureServer, type Reply } from '../support/fixture-http-server.js';
import { schedulePage } from '../support/schedule-fixtures.js';
import { makeTempDir } from '../support/temp-dir.js';

const page = schedulePage([
  {
    date: '12/09',
    weekday: '水',
    cards: [
      { videoId: 'bbbbbbbbbb1', time: '22:00', name: '獅白ぼたん' },
      { videoId: 'bbbbbbbbbb2', time: '23:00', name: '尾丸ポルカ' },
    ],
  },
]);

async function setup(t: TestContext, ...replies: Reply[]) {
  const server = await startFixtureServer();
  const dir = makeTempDir();
  t.after(async () => {
    await server.close();
    dir.remove();
  });
  server.on('/', ...replies);
  const env = {
    HOLODULE_DATA_DIR: dir.path,
    HOLODULE_SAMPLE_DATA: 'false',
    HOLODULE_URL: `${server.url}/`,
    HOLODULE_LIST_URL: 'off',
    HOLODULE_COLLECT_RETRIES: '0',
  };
  return { env, dataDir: dir.path };
}

describe('holodule collect', () => {
  it('collects once and prints what it did; a second run finds nothing to change', async (t) => {
    const { env, dataDir } = await setup(t, { body: page });

    const first = await runCli(['collect'], { env });
    const second = await runCli(['collect'], { env });

    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^collected: 2 new, 0 updated, 0 unchanged, 0 skipped, 0 failed/);
    assert.match(second.stdout, /^collected: 0 new, 0 updated, 2 unchanged, 0 skipped, 0 failed/);
    const store = new SqliteStore(join(dataDir, 'holodule.sqlite'));
    t.after(() => store.close());
    // The page gives no year; the CLI infers it from today, so only the rest of the key is fixed.
    assert.match((await store.streams.findByVideoId('bbbbbbbbbb2'))!.key, /^HL0503_\d{4}1209_230000$/);
    assert.match((await store.streams.findByVideoId('bbbbbbbbbb1'))!.key, /^HL0501_\d{4}1209_220000$/);
  });

  it('exits 1 and names the page when it could not be read', async (t) => {
    const { env } = await setup(t, { status: 503, body: 'maintenance' });

    const result = await runCli(['collect'], { env });

    assert.equal(result.code, 1);
    assert.match(result.stdout, /0 new, .* 1 failed/);
    assert.match(result.stderr, /not collected: .*HTTP 503/);
  });

  it('refuses arguments it does not know', async (t) => {
    const { env } = await setup(t, { body: page });
    const result = await runCli(['collect', '--everything'], { env });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /usage: holodule collect/);
  });
});
