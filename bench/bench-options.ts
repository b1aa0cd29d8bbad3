// `npm run bench -- [flags]`: what to run, how hard and on how much data.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Streams in the main data set (every row but the large one). */
  streams: number;
  /** Streams in the large data set for the scale row; 0 skips that row. */
  largeStreams: number;
  seed: number;
  /** How often the ceiling, holodule and Express rows run, alternating; each reports its median round. */
  rounds: number;
  /** The /healthz probe: connections and total request rate, the same idle and under the /auth flood. */
  probeConnections: number;
  probeRate: number;
  /** A cap on every load row's request rate; unset: as fast as the server answers (smoke: gentle, beside other tests). */
  rate: number | undefined;
  mongodb: boolean;
  /** Connections for the MongoDB row: the test server (FerretDB) answers a few requests a second, not thousands. */
  mongodbConnections: number;
  /** Clients holding GET /api/v2/events open in the SSE row. */
  sseClients: number;
  /** Row ids to run (all when empty). */
  only: string[];
  smoke: boolean;
  /** Write CPU profiles of the holodule server processes (node --cpu-prof) into this directory. */
  profileDir: string | undefined;
  dataDir: string;
  out: string;
  /** Free text stored with the results: what else the machine was doing. */
  note: string | undefined;
}

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export const USAGE = `npm run bench -- [flags]
  --connections N      concurrent connections for the load rows (100)
  --warmup S           warm-up seconds before each measured run (3; smoke 0.5)
  --duration S         measured seconds per row (12; smoke 1)
  --streams N          streams in the data set (10000)
  --large-streams N    streams in the large data set for the scale row, 0 to skip (1000000)
  --rounds N           alternate ceiling / holodule / Express N times, report each one's median (1)
  --seed N             schedule generator seed (20201209)
  --probe-connections N, --probe-rate R   the /healthz probe (10 connections, 200 req/s)
  --rate R             cap every load row at R req/s (none; smoke 50)
  --no-mongodb         skip the MongoDB row
  --mongodb-connections N   connections for the MongoDB row (4: FerretDB is slow, 100 would only time out)
  --sse-clients N      clients holding GET /api/v2/events open in the SSE row (1000; smoke 20)
  --only a,b           run only these rows (ids as in the JSON; startup: start-up time and idle RSS)
  --profile            CPU profiles of holodule's processes into bench/results/profiles/
  --data-dir DIR       where the generated SQLite files are kept between runs
  --out FILE           results JSON (bench/results/latest.json)
  --note TEXT          stored with the results (e.g. what else was running)
  --smoke              tiny data, about a second per row: checks the harness, measures nothing`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name}: expected a number ≥ ${min}, got "${raw}"`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      streams: { type: 'string' },
      'large-streams': { type: 'string' },
      rounds: { type: 'string' },
      seed: { type: 'string' },
      'probe-connections': { type: 'string' },
      'probe-rate': { type: 'string' },
      rate: { type: 'string' },
      'no-mongodb': { type: 'boolean', default: false },
      'mongodb-connections': { type: 'string' },
      'sse-clients': { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      note: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const smoke = values.smoke;
  const streams = count('streams', values.streams, smoke ? 300 : 10_000, 50);
  return {
    connections: count('connections', values.connections, smoke ? 10 : 100, 1),
    warmupSeconds: count('warmup', values.warmup, smoke ? 0.5 : 3, 0),
    durationSeconds: count('duration', values.duration, smoke ? 1 : 12, 1),
    streams,
    largeStreams: count('large-streams', values['large-streams'], smoke ? 3_000 : 1_000_000, 0),
    seed: count('seed', values.seed, 20201209, 0),
    rounds: count('rounds', values.rounds, 1, 1),
    probeConnections: count('probe-connections', values['probe-connections'], smoke ? 2 : 10, 1),
    probeRate: count('probe-rate', values['probe-rate'], smoke ? 50 : 200, 1),
    rate: values.rate === undefined && !smoke ? undefined : count('rate', values.rate, 50, 1),
    mongodb: !values['no-mongodb'],
    mongodbConnections: count('mongodb-connections', values['mongodb-connections'], smoke ? 2 : 4, 1),
    sseClients: count('sse-clients', values['sse-clients'], smoke ? 20 : 1000, 1),
    only:
      values.only
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean) ?? [],
    smoke,
    profileDir: values.profile ? join(RESULTS, 'profiles') : undefined,
    dataDir: values['data-dir'] ?? join(tmpdir(), 'holodule-bench-data'),
    out: values.out ?? join(RESULTS, 'latest.json'),
    note: values.note,
  };
}
