// The benchmark harness in smoke mode (tiny data, about a second per row), so it never rots. It checks
// behaviour only: every row ran, nothing failed, the JSON was written. It never asserts a time.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runNodeScript } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const RUN_BENCH = fileURLToPath(new URL('../../bench/run-bench.js', import.meta.url));
const ROWS = [
  'raw-http',
  'ceiling',
  'holodule-sqlite',
  'express',
  'express-secret-key',
  'holodule-sqlite-info',
  'holodule-sqlite-large',
  'ceiling-days',
  'holodule-sqlite-uncached',
  'holodule-sqlite-large-uncached',
  'raw-http-br',
  'holodule-sqlite-br',
  'holodule-sqlite-uncached-br',
  'v2-peer-week',
  'holodule-v2-week',
  'holodule-v2-week-large',
  'v2-peer-talent',
  'holodule-v2-talent',
  'v2-peer-live',
  'holodule-v2-live',
  'holodule-mongodb',
  'holodule-mongodb-overhead',
  'holodule-sse',
  'auth',
  'healthz-idle',
  'healthz-auth-flood',
];

interface Row {
  id: string;
  connections: number;
  floodConnections?: number;
  load?: { requestsTotal: number; errors: number; non2xx: number };
  flood?: { requestsTotal: number; errors: number; non2xx: number };
  peakRssBytes?: number | null;
  overhead?: Array<{ operation: string; calls: number; ownUs: number }>;
  skipped?: string;
  error?: string;
}

const runBench = (args: string[]) => runNodeScript(RUN_BENCH, args);

describe('npm run bench -- --smoke', () => {
  it('runs every row against its own server process without an error and writes the results as JSON and Markdown', {
    timeout: 240_000,
  }, async (t) => {
    const dir = makeTempDir('holodule-bench-smoke-');
    t.after(() => dir.remove());
    const out = join(dir.path, 'results.json');

    const run = await runBench(['--smoke', '--out', out, '--data-dir', join(dir.path, 'data')]);

    assert.equal(run.code, 0, `bench exited ${run.code}:\n${run.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      smoke: boolean;
      machine: { cpuModel: string; cores: number; node: string };
      rows: Row[];
      targets: Array<{ name: string }>;
      startup: { helpMs: number; serveReadyMs: number; nodeBaselineMs: number } | null;
    };
    assert.equal(report.smoke, true);
    assert.equal(report.machine.node, process.version);
    assert.ok(report.machine.cores >= 1);
    assert.deepEqual(
      report.rows.map((r) => r.id),
      ROWS,
    );
    for (const row of report.rows) {
      // Without a MongoDB server the MongoDB row is skipped with the reason; under CI there must be one.
      if (row.id.startsWith('holodule-mongodb') && row.skipped !== undefined && process.env.CI !== 'true') continue;
      assert.equal(row.error, undefined, `${row.id}: ${row.error}`);
      if (row.id === 'holodule-mongodb-overhead') {
        assert.ok(
          row.overhead && row.overhead.length > 0 && row.overhead.every((f) => f.calls > 0),
          'store calls timed',
        );
        continue;
      }
      assert.ok(row.load && row.load.requestsTotal > 0, `${row.id} answered no request`);
      assert.equal(row.load.errors, 0, `${row.id} had connection errors`);
      assert.equal(row.load.non2xx, 0, `${row.id} had answers other than 2xx`);
      if (process.platform === 'linux') assert.ok((row.peakRssBytes ?? 0) > 0, `${row.id} has no peak RSS`);
    }
    const flood = report.rows.find((r) => r.id === 'healthz-auth-flood')?.flood;
    const flooded = report.rows.find((r) => r.id === 'healthz-auth-flood');
    assert.equal(
      flooded?.floodConnections,
      report.rows.find((r) => r.id === 'auth')?.connections,
      'the flood has as many connections as the /auth row',
    );
    assert.ok(
      flood && flood.requestsTotal > 0 && flood.errors === 0 && flood.non2xx === 0,
      'the /auth flood beside the probe did not run cleanly',
    );
    assert.equal(report.targets.length, 16);
    assert.ok(report.startup && report.startup.helpMs > 0 && report.startup.serveReadyMs > 0, 'the start-up row ran');
    assert.match(run.stdout, /holodule --help/);
    assert.match(run.stdout, /× peer/);
    assert.ok(existsSync(join(dir.path, 'results.md')), 'the Markdown table beside the JSON');
  });
});
