// The live-push row: N clients hold GET /api/v2/events open on one holodule process; changes are appended to its
// store's change log (as a collect run would) and each client's change-to-receipt latency is measured, with the
// server's peak memory. The clients run in a process of their own (bench/sse-clients.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { LoadSummary } from './load-driver.js';
import { BENCH_USER } from './prepare-data.js';
import { seededRandom } from './seeded-random.js';
import { startServerProcess, type ServerSpec } from './server-process.js';

export const SSE_ROW_ID = 'holodule-sse';
/** Changes announced, one after the other: each is heard by every client before the next. */
const CHANGES = 5;
const HEAR_TIMEOUT_MS = 10_000;
const CLIENTS_SCRIPT = fileURLToPath(new URL('./sse-clients.js', import.meta.url));

export interface SseRowOutcome {
  load: LoadSummary;
  peakRssBytes: number | null;
}

/** A copy of the main file: the row appends to its change log, and the main file stays as other rows expect it. */
export function sseFileFrom(mainFile: string, runDir: string): string {
  const path = join(runDir, 'sse.sqlite');
  copyFileSync(mainFile, path);
  return path;
}

function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message[key] as T);
    };
    const onExit = (code: number | null) => reject(new Error(`the SSE clients' process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function runSseRow(
  spec: ServerSpec,
  sqlitePath: string,
  clients: number,
  logDir: string,
): Promise<SseRowOutcome> {
  const server = await startServerProcess(spec, join(logDir, `${SSE_ROW_ID}.log`));
  const child = fork(CLIENTS_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const store = new SqliteStore(sqlitePath);
  try {
    const res = await fetch(`${server.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_USER),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const started = performance.now();
    child.send({ open: { url: `${server.url}/api/v2/events`, token, clients } });
    const opened = await nextMessage<{ connected: number; failed: number; non2xx: number }>(child, 'opened');
    const latencies: number[] = [];
    let missing = 0;
    const random = seededRandom(20201209);
    for (let i = 0; i < CHANGES; i++) {
      // A collect finishes at any point of the instances' poll cycle, not just after one: a pause of 0 to 1 s.
      await sleep(Math.floor(random() * 1000));
      const sentAt = Date.now();
      const [seq] = await store.changes.append(
        [
          {
            type: 'stream.updated',
            talent: 'HL0503',
            data: JSON.stringify({ stream: { key: `bench_${i}` }, sent_at: sentAt }),
          },
        ],
        sentAt,
      );
      child.send({ await: { seq, timeoutMs: HEAR_TIMEOUT_MS } });
      const heard = await nextMessage<{ latencies: number[]; missing: number }>(child, 'heard');
      latencies.push(...heard.latencies);
      missing += heard.missing;
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const seconds = (performance.now() - started) / 1000;
    const load: LoadSummary = {
      requestsPerSecond: opened.connected / seconds,
      requestsTotal: opened.connected,
      latencyMs: {
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
        mean: sorted.length === 0 ? 0 : Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
      },
      errors: opened.failed + missing + (clients - opened.connected - opened.failed - opened.non2xx),
      timeouts: missing,
      non2xx: opened.non2xx,
      statusCounts: { '2xx': opened.connected, '3xx': 0, '4xx': opened.non2xx, '5xx': 0 },
      bytesPerSecond: 0,
      durationSeconds: seconds,
    };
    return { load, peakRssBytes: server.peakRss() };
  } catch (err) {
    const tail = server.logTail(10);
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}${tail ? `\n--- server log ---\n${tail}` : ''}`,
    );
  } finally {
    child.send({ stop: true });
    if (child.exitCode === null) await once(child, 'exit');
    await store.close();
    await server.stop();
  }
}
