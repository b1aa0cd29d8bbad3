// The results: one table for people, one JSON file for tools, and the issue's targets as ratios.
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { LoadSummary } from './load-driver.js';
import type { OverheadFigure } from './mongo-overhead.js';

export interface RowResult {
  id: string;
  label: string;
  /** What was asked, e.g. `GET /holodules/20200410 (JWT)`. */
  request: string;
  streams: number | null;
  connections: number;
  load?: LoadSummary;
  flood?: LoadSummary;
  floodConnections?: number;
  peakRssBytes?: number | null;
  /** Requests per second of each round, when the row ran more than once (the median round is reported). */
  roundsRequestsPerSecond?: number[];
  /** req/s over the peer's (`peer`: the row id compared with), the ceiling's when there is no peer of its own. */
  ratioToCeiling?: number | null;
  peer?: string;
  /** The MongoDB overhead row: time per store call, not load. */
  overhead?: OverheadFigure[];
  skipped?: string;
  error?: string;
}

export interface TargetResult {
  name: string;
  value: number | null;
  comparison: '>=' | '<=';
  threshold: number;
  met: boolean | null;
  detail: string;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  totalMemoryMB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function describeMachine(): Machine {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryMB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${platform()} ${release()}`,
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

const byId = (rows: RowResult[], id: string) => rows.find((r) => r.id === id && r.load !== undefined);
const rps = (row: RowResult | undefined) => row?.load?.requestsPerSecond ?? null;
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? null : bytes / 2 ** 20);

/** The round with the median requests per second, with every round's figure beside it. */
export function medianRound(tries: RowResult[]): RowResult {
  const measured = tries.filter((t) => t.load);
  if (measured.length === 0) return tries[0]!;
  const figures = measured.map((t) => t.load!.requestsPerSecond);
  const median = [...figures].sort((a, b) => a - b)[Math.floor((figures.length - 1) / 2)]!;
  const chosen = measured.find((t) => t.load!.requestsPerSecond === median)!;
  return tries.length > 1 ? { ...chosen, roundsRequestsPerSecond: figures } : chosen;
}

/**
 * Each day row's peer: what does the same with nothing in the way. Hot rows beside the raw limit (node:http
 * sending bytes encoded once), cold rows beside bare Fastify serializing the same days, Express and the MongoDB
 * row beside the ceiling (bare Fastify, one day).
 */
export const DAY_PEERS: Record<string, string> = {
  ceiling: 'raw-http',
  'holodule-sqlite': 'raw-http',
  'holodule-sqlite-info': 'raw-http',
  'holodule-sqlite-large': 'raw-http',
  'holodule-sqlite-uncached': 'ceiling-days',
  'holodule-sqlite-large-uncached': 'ceiling-days',
  'raw-http-br': 'raw-http',
  'holodule-sqlite-br': 'raw-http-br',
  'holodule-sqlite-uncached-br': 'raw-http-br',
  express: 'ceiling',
  'express-secret-key': 'ceiling',
  'holodule-mongodb': 'ceiling',
};

/** Each row's req/s over its peer's (`peers`); rows without a peer (the peers, /auth, probes, SSE) have no ratio. */
export function addRatios(rows: RowResult[], peers: Record<string, string> = {}): void {
  for (const row of rows) {
    const peer = peers[row.id];
    if (!row.load || peer === undefined || !byId(rows, peer)) continue;
    row.peer = peer;
    row.ratioToCeiling = ratio(row.load.requestsPerSecond, rps(byId(rows, peer)));
  }
}

function target(
  name: string,
  value: number | null,
  comparison: '>=' | '<=',
  threshold: number,
  detail: string,
): TargetResult {
  const met = value === null ? null : comparison === '>=' ? value >= threshold : value <= threshold;
  return { name, value, comparison, threshold, met, detail };
}

export function evaluateTargets(rows: RowResult[]): TargetResult[] {
  const holodule = byId(rows, 'holodule-sqlite');
  const large = byId(rows, 'holodule-sqlite-large');
  const idle = byId(rows, 'healthz-idle');
  const flooded = byId(rows, 'healthz-auth-flood');
  // The SSE row has a memory target of its own (a thousand open streams), below.
  const holoduleRows = rows.filter(
    (r) =>
      (r.id.startsWith('holodule') || r.id.startsWith('auth') || r.id.startsWith('healthz')) && r.id !== 'holodule-sse',
  );
  const sse = byId(rows, 'holodule-sse');
  const heaviest = holoduleRows.reduce<RowResult | undefined>(
    (a, r) => ((r.peakRssBytes ?? 0) > (a?.peakRssBytes ?? 0) ? r : a),
    undefined,
  );
  const overheadOf = (operation: string) =>
    rows.find((r) => r.id === 'holodule-mongodb-overhead')?.overhead?.find((f) => f.operation === operation)?.ownUs ??
    null;
  return [
    target(
      'cold day: 250 days in turn vs bare Fastify serializing them (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-sqlite-uncached')), rps(byId(rows, 'ceiling-days'))),
      '>=',
      0.7,
      'holodule-sqlite-uncached ÷ ceiling-days',
    ),
    target(
      'hot day vs the raw limit, node:http (req/s ratio)',
      ratio(rps(holodule), rps(byId(rows, 'raw-http'))),
      '>=',
      0.85,
      'holodule-sqlite ÷ raw-http',
    ),
    target(
      'hot day, Brotli, vs the raw limit sending the same bytes (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-sqlite-br')), rps(byId(rows, 'raw-http-br'))),
      '>=',
      0.85,
      'holodule-sqlite-br ÷ raw-http-br',
    ),
    target(
      "MongoDB path: holodule's own time per day answer (µs)",
      overheadOf('streams.findDayAnswer (identity)'),
      '<=',
      MONGO_OWN_US_BOUND,
      'holodule-mongodb-overhead: median call minus its driver round trip',
    ),
    target(
      'day query vs ceiling (req/s ratio)',
      ratio(rps(holodule), rps(byId(rows, 'ceiling'))),
      '>=',
      0.7,
      'holodule-sqlite ÷ ceiling',
    ),
    target(
      'day query vs Express (req/s ratio)',
      ratio(rps(holodule), rps(byId(rows, 'express'))),
      '>=',
      3,
      'holodule-sqlite ÷ express',
    ),
    target(
      'day query, large table vs main (req/s slowdown)',
      ratio(rps(holodule), rps(large)),
      '<=',
      1.3,
      'holodule-sqlite ÷ holodule-sqlite-large',
    ),
    target(
      'cold day, every read from the table (2,500 days of 1M) vs bare Fastify serializing (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-sqlite-large-uncached')), rps(byId(rows, 'ceiling-days'))),
      '>=',
      0.7,
      'holodule-sqlite-large-uncached ÷ ceiling-days',
    ),
    target(
      'v2 one week vs its peer (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-v2-week')), rps(byId(rows, 'v2-peer-week'))),
      '>=',
      0.5,
      'holodule-v2-week ÷ v2-peer-week',
    ),
    target(
      'v2 one week, large table vs main (req/s slowdown)',
      ratio(rps(byId(rows, 'holodule-v2-week')), rps(byId(rows, 'holodule-v2-week-large'))),
      '<=',
      1.3,
      'holodule-v2-week ÷ holodule-v2-week-large',
    ),
    target(
      'v2 talent filter vs its peer (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-v2-talent')), rps(byId(rows, 'v2-peer-talent'))),
      '>=',
      0.5,
      'holodule-v2-talent ÷ v2-peer-talent',
    ),
    target(
      'v2 live now vs its peer (req/s ratio)',
      ratio(rps(byId(rows, 'holodule-v2-live')), rps(byId(rows, 'v2-peer-live'))),
      '>=',
      0.5,
      'holodule-v2-live ÷ v2-peer-live',
    ),
    target(
      '/healthz p99 under /auth flood vs idle',
      ratio(flooded?.load?.latencyMs.p99 ?? null, idle?.load?.latencyMs.p99 ?? null),
      '<=',
      3,
      'healthz-auth-flood p99 ÷ healthz-idle p99',
    ),
    target(
      'peak server RSS of holodule (MB)',
      mb(heaviest?.peakRssBytes),
      '<=',
      200,
      `highest VmHWM over holodule's rows (${heaviest?.id ?? 'none'})`,
    ),
    target(
      'SSE: change to receipt, every client (p99 ms)',
      sse?.load?.latencyMs.p99 ?? null,
      '<=',
      2000,
      `holodule-sse: ${sse?.connections ?? 0} clients, each change heard by each`,
    ),
    target(
      'SSE: peak server RSS with the clients connected (MB)',
      mb(sse?.peakRssBytes),
      '<=',
      300,
      'holodule-sse VmHWM',
    ),
  ];
}

/** A bound on holodule's own time around one MongoDB lookup: several times what it measures, so only a regression trips it. */
const MONGO_OWN_US_BOUND = 500;

const fixed = (n: number | null | undefined, digits: number) =>
  n === null || n === undefined ? '—' : n.toFixed(digits);

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

const HEADER = ['row', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MB', '× peer', 'peer'];

function cellsOf(rows: RowResult[]): string[][] {
  return rows.map((r) => {
    if (r.overhead) {
      const day = r.overhead[0]!;
      return [r.label, '—', '—', '—', '0', '0', '—', `${day.ownUs} µs own`, `of ${day.callUs} µs/call`];
    }
    if (!r.load)
      return [
        r.label,
        r.skipped ? `skipped: ${r.skipped}` : `failed: ${r.error?.split('\n')[0] ?? ''}`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ];
    return [
      r.label,
      fixed(r.load.requestsPerSecond, 0),
      // No 2xx answer, no latency to show (autocannon times only those).
      r.load.statusCounts['2xx'] === 0 ? '—' : fixed(r.load.latencyMs.p50, 2),
      r.load.statusCounts['2xx'] === 0 ? '—' : fixed(r.load.latencyMs.p99, 2),
      String(r.load.errors),
      String(r.load.non2xx),
      fixed(mb(r.peakRssBytes), 0),
      r.ratioToCeiling === null || r.ratioToCeiling === undefined
        ? '—'
        : `${r.ratioToCeiling.toFixed(r.ratioToCeiling < 0.1 ? 3 : 2)}×`,
      r.peer ?? '',
    ];
  });
}

export function formatTable(rows: RowResult[]): string {
  return pad([HEADER, ...cellsOf(rows)]);
}

export function formatTargets(targets: TargetResult[]): string {
  return targets
    .map((t) => {
      const verdict = t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED';
      return `${verdict.padEnd(12)} ${t.name}: ${fixed(t.value, 2)} (target ${t.comparison} ${t.threshold}; ${t.detail})`;
    })
    .join('\n');
}

/** The same table and targets in Markdown, for docs/performance.md. */
export function formatMarkdown(rows: RowResult[], targets: TargetResult[]): string {
  const md = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...cellsOf(rows).map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const verdicts = targets.map(
    (t) =>
      `| ${t.name} | ${fixed(t.value, 2)} | ${t.comparison} ${t.threshold} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**missed**'} |`,
  );
  const overhead = rows.find((r) => r.overhead)?.overhead;
  const overheadTable = overhead
    ? `\n| MongoDB store call | calls | µs per call | driver round trip µs | holodule's own µs |\n|---|---:|---:|---:|---:|\n${overhead
        .map((f) => `| ${f.operation} | ${f.calls} | ${f.callUs} | ${f.roundTripUs} | ${f.ownUs} |`)
        .join('\n')}\n`
    : '';
  return `${md.join('\n')}\n\n| target | value | needed | verdict |\n|---|---:|---:|---|\n${verdicts.join('\n')}\n${overheadTable}`;
}
