// `node <compiled bench>/cpu-per-request.js [holodule|raw] [identity|br] [requests]`: the server process's own CPU
// time (user + system, from /proc/<pid>/stat) per hot-day request, on the bench's 10k file (made by `npm run
// bench` first). Unlike req/s, this does not depend on whether the load generator or the server ran out of
// cores first, so it compares holodule with the raw node:http limit on a shared 2-core machine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../test/support/free-port.js';
import { benchDayIndex, dayOf } from './generate-schedule.js';
import { BENCH_USER } from './prepare-data.js';
import { BENCH_SECRET } from './servers-under-test.js';

const [server = 'holodule', coding = 'identity', amountArg = '30000'] = process.argv.slice(2);
const amount = Number(amountArg);
const source = join(tmpdir(), 'holodule-bench-data', 'schedule-10000-seed20201209-v2.sqlite');
const dir = mkdtempSync(join(tmpdir(), 'holodule-cpu-'));
const file = join(dir, 'holodule.sqlite3');
copyFileSync(source, file);
const day = dayOf(benchDayIndex(10_000));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const path = `/holodules/${day}`;
const script = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const child =
  server === 'raw'
    ? spawn(process.execPath, [script('./peers/raw-http.js')], {
        env: { PATH: process.env.PATH ?? '', BENCH_SQLITE_PATH: file, BENCH_DAYS: day, PORT: String(port) },
        stdio: 'ignore',
      })
    : spawn(process.execPath, [script('../src/cli/main.js'), 'serve'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOLODULE_DATA_DIR: dir,
          HOLODULE_STORE: 'sqlite',
          HOLODULE_SQLITE_PATH: file,
          JWT_SECRET_KEY: BENCH_SECRET,
          HOLODULE_SAMPLE_DATA: 'false',
          HOLODULE_COLLECT_INTERVAL: '0',
          HOLODULE_LOG_LEVEL: 'warn',
          PORT: String(port),
          HOST: '127.0.0.1',
        },
        stdio: 'ignore',
      });
try {
  const probe = server === 'raw' ? path : '/readyz';
  while (
    !(await fetch(base + probe).then(
      (r) => r.ok,
      () => false,
    ))
  )
    await sleep(20);
  let authorization = '';
  if (server !== 'raw') {
    const login = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_USER),
    });
    authorization = `JWT ${((await login.json()) as { access_token: string }).access_token}`;
  }
  const headers: Record<string, string> = {
    ...(authorization ? { authorization } : {}),
    ...(coding === 'br' ? { 'accept-encoding': 'br, gzip' } : {}),
  };
  const cpuTicks = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const load = (n: number) => autocannon({ url: base + path, headers, connections: 50, amount: n });
  await load(5000);
  const before = cpuTicks();
  const result = await load(amount);
  const ticks = cpuTicks() - before;
  // Clock ticks are 10 ms on Linux.
  const perRequest = (ticks * 10_000) / result.requests.total;
  process.stdout.write(
    `${server} ${coding}: ${perRequest.toFixed(1)} µs CPU per request over ${result.requests.total} requests ` +
      `(${result.non2xx} non-2xx)\n`,
  );
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
