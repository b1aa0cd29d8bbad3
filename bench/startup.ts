// Start-up and footprint, beside `node -e 0`: how long `holodule --help` takes, how long `holodule serve` takes
// until /readyz first answers 200 (SQLite, an existing database), and the idle server's RSS once ready.
// Each figure is the median of a few fresh processes. Run alone with `npm run bench -- --only startup`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/free-port.js';
import { BENCH_SECRET } from './servers-under-test.js';

export const STARTUP_ROW_ID = 'startup';

export interface StartupResult {
  runs: number;
  /** Median wall time of `node -e 0`, the floor every command stands on. */
  nodeBaselineMs: number;
  helpMs: number;
  /** From spawning `holodule serve` to the first 200 from GET /readyz. */
  serveReadyMs: number;
  /** VmRSS of the idle server, a second after it was ready. */
  idleRssBytes: number | null;
  targets: { helpMs: number; serveReadyMs: number; idleRssBytes: number };
}

export const STARTUP_TARGETS = { helpMs: 150, serveReadyMs: 500, idleRssBytes: 80 * 1024 * 1024 };

const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const IDLE_SETTLE_MS = 1000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function timeProcess(args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function rssOf(pid: number): number | null {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** One `holodule serve` on `sqlitePath`: time to the first 200 from /readyz, and the idle RSS after it. */
async function timeServe(dataDir: string, sqlitePath: string): Promise<{ readyMs: number; rss: number | null }> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOLODULE_DATA_DIR: dataDir,
      HOLODULE_STORE: 'sqlite',
      HOLODULE_SQLITE_PATH: sqlitePath,
      JWT_SECRET_KEY: BENCH_SECRET,
      HOLODULE_SAMPLE_DATA: 'false',
      HOLODULE_COLLECT_INTERVAL: '0',
      HOLODULE_LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: 'ignore',
  });
  const exited = once(child, 'exit');
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`holodule serve exited ${child.exitCode} before it was ready`);
      if (Date.now() > deadline) throw new Error('holodule serve was not ready within 30 s');
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await sleep(2);
    }
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    await sleep(IDLE_SETTLE_MS);
    return { readyMs, rss: rssOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function runStartupRow(runs: number, log: (line: string) => void): Promise<StartupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'holodule-bench-startup-'));
  try {
    const sqlitePath = join(dir, 'holodule.sqlite3');
    // The first start creates the database (and its first user): not what a restart costs, so not measured.
    await timeServe(dir, sqlitePath);
    const baseline: number[] = [];
    const help: number[] = [];
    const ready: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(await timeProcess(['-e', '0']));
      help.push(await timeProcess([MAIN, '--help']));
      const serve = await timeServe(dir, sqlitePath);
      ready.push(serve.readyMs);
      if (serve.rss !== null) rss.push(serve.rss);
    }
    const result: StartupResult = {
      runs,
      nodeBaselineMs: Math.round(median(baseline)),
      helpMs: Math.round(median(help)),
      serveReadyMs: Math.round(median(ready)),
      idleRssBytes: rss.length > 0 ? median(rss) : null,
      targets: STARTUP_TARGETS,
    };
    log(`  help ${result.helpMs} ms, ready ${result.serveReadyMs} ms, idle RSS ${result.idleRssBytes ?? 'n/a'} B`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function formatStartup(r: StartupResult): string {
  const rss = r.idleRssBytes === null ? 'n/a (no /proc)' : mb(r.idleRssBytes);
  return [
    `start-up and footprint (median of ${r.runs} fresh processes)`,
    `  node -e 0                    ${r.nodeBaselineMs} ms`,
    `  holodule --help              ${r.helpMs} ms   (target ≤ ${r.targets.helpMs} ms: ${verdict(r.helpMs <= r.targets.helpMs)})`,
    `  serve → first 200 /readyz    ${r.serveReadyMs} ms   (target ≤ ${r.targets.serveReadyMs} ms: ${verdict(r.serveReadyMs <= r.targets.serveReadyMs)})`,
    `  idle RSS, SQLite             ${rss}   (target ≤ ${mb(r.targets.idleRssBytes)}: ${verdict(r.idleRssBytes !== null && r.idleRssBytes <= r.targets.idleRssBytes)})`,
  ].join('\n');
}

/** `node build/bench/startup.js [runs]`: this row alone, without building the benchmark's data. */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 5);
  const result = await runStartupRow(runs, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${formatStartup(result)}\n`);
}
