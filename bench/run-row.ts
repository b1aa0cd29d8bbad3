// One row: start its server, check it answers what the others answer, put it under load, read its peak
// memory, stop it. Every row gets a fresh server process, so its peak memory is its own.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { driveLoad } from './drive-load.js';
import type { LoadPlan, LoadSummary } from './load-driver.js';
import { BENCH_USER } from './prepare-data.js';
import { startServerProcess, type ServerSpec } from './server-process.js';

export interface RowSpec {
  id: string;
  label: string;
  server: ServerSpec;
  kind: 'day' | 'auth' | 'probe';
  /** The day query's path (`day` rows) and the answer every server must give to it. */
  dayPath?: string;
  expectedDay?: unknown;
  /** Ask these days' paths in turn (more days than any cache keeps), after checking `dayPath`. */
  rotatePaths?: string[];
  /** Log in first and send the token (holodule and Express; the ceiling has no auth). */
  login?: boolean;
  /** Headers of every request beside the token (e.g. Accept-Encoding). */
  requestHeaders?: Record<string, string>;
  /** `probe` rows: flood /auth while probing /healthz. */
  underAuthFlood?: boolean;
}

export interface LoadShape {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  probeConnections: number;
  probeRate: number;
  rate?: number | undefined;
}

export interface RowOutcome {
  load: LoadSummary;
  /** The /auth flood that ran beside a probe, and its connections. */
  flood?: LoadSummary;
  floodConnections?: number;
  peakRssBytes: number | null;
}

const TIMEOUT_SECONDS = 30;
const LOGIN_BODY = JSON.stringify(BENCH_USER);
const JSON_POST = { 'content-type': 'application/json' };

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/auth`, { method: 'POST', headers: JSON_POST, body: LOGIN_BODY });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`login answered ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A run that measures something else than intended is worse than none: the answer must be the expected one. */
async function checkAnswer(
  url: string,
  path: string,
  headers: Record<string, string>,
  expected: unknown,
): Promise<void> {
  const res = await fetch(`${url}${path}`, { headers });
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  if (expected !== undefined && !isDeepStrictEqual(body, expected))
    throw new Error(`GET ${path} answered a different body than expected`);
  // fetch decompresses: the header says whether the row measures what it says it does.
  if (headers['accept-encoding'] !== undefined && res.headers.get('content-encoding') === null)
    throw new Error(`GET ${path} answered uncompressed to Accept-Encoding: ${headers['accept-encoding']}`);
}

export async function runRow(row: RowSpec, shape: LoadShape, logDir: string): Promise<RowOutcome> {
  const server = await startServerProcess(row.server, join(logDir, `${row.id}.log`));
  try {
    const headers: Record<string, string> = {
      ...row.requestHeaders,
      ...(row.login ? { authorization: `JWT ${await login(server.url)}` } : {}),
    };
    const base = {
      headers,
      warmupSeconds: shape.warmupSeconds,
      durationSeconds: shape.durationSeconds,
      timeoutSeconds: TIMEOUT_SECONDS,
      ...(shape.rate === undefined ? {} : { overallRate: shape.rate }),
    };
    const authPlan: LoadPlan = {
      ...base,
      url: `${server.url}/auth`,
      method: 'POST',
      headers: JSON_POST,
      body: LOGIN_BODY,
      connections: shape.connections,
    };
    let load: LoadSummary;
    let flood: LoadSummary | undefined;
    if (row.kind === 'day') {
      await checkAnswer(server.url, row.dayPath!, headers, row.expectedDay);
      load = await driveLoad({
        ...base,
        url: `${server.url}${row.dayPath!}`,
        ...(row.rotatePaths ? { paths: row.rotatePaths } : {}),
        method: 'GET',
        connections: shape.connections,
      });
    } else if (row.kind === 'auth') {
      load = await driveLoad(authPlan);
    } else {
      await checkAnswer(server.url, '/healthz', {}, undefined);
      const probe: LoadPlan = {
        ...base,
        url: `${server.url}/healthz`,
        method: 'GET',
        connections: shape.probeConnections,
        overallRate: Math.min(shape.probeRate, shape.rate ?? Infinity),
      };
      if (row.underAuthFlood) {
        // The flood starts first and outlasts the probe's warm-up and measurement.
        const flooding = driveLoad({
          ...authPlan,
          warmupSeconds: 0,
          durationSeconds: Math.ceil(shape.warmupSeconds + shape.durationSeconds) + 3,
        });
        flooding.catch(() => undefined);
        await sleep(1_000);
        [load, flood] = await Promise.all([driveLoad(probe), flooding]);
      } else {
        load = await driveLoad(probe);
      }
    }
    return { load, ...(flood ? { flood, floodConnections: shape.connections } : {}), peakRssBytes: server.peakRss() };
  } catch (err) {
    const tail = server.logTail(10);
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}${tail ? `\n--- ${row.server.name} log ---\n${tail}` : ''}`,
    );
  } finally {
    await server.stop();
  }
}
