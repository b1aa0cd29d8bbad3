// Prometheus metrics: one registry per running server (so several in one process never mix), the names
// docs/operations.md alerts on. Every label takes values from a fixed set (route templates, not URLs).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly storeDuration: Histogram<'operation' | 'outcome'>;
  readonly logins: Counter<'outcome'>;
  readonly throttleHits: Counter<'route'>;
  readonly collectorRuns: Counter<'outcome'>;
  readonly collectorDuration: Histogram;
  readonly collectorStreams: Counter<'change'>;
  readonly youtubeQuotaUnits: Counter;
  /** For the server-sent events endpoint once there is one: connected clients. */
  readonly sseClients: Gauge;
}

/** What a route label says for a request that matched no route: one series for every unknown URL. */
export const UNMATCHED_ROUTE = 'unmatched';

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process metrics (CPU, memory, handles, GC) and event-loop lag (nodejs_eventloop_lag_seconds and percentiles).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'holodule_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storeDuration: new Histogram({
      name: 'holodule_store_operation_duration_seconds',
      help: 'Store operations (streams.findByDay, users.findByUsername, ...) by outcome (ok or error)',
      labelNames: ['operation', 'outcome'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    logins: new Counter({
      name: 'holodule_logins_total',
      help: 'Login attempts by outcome: success, failure (bad credentials), throttled, invalid (bad request), error',
      labelNames: ['outcome'],
      registers,
    }),
    throttleHits: new Counter({
      name: 'holodule_throttle_hits_total',
      help: 'Requests refused with 429 Too Many Requests, by route template',
      labelNames: ['route'],
      registers,
    }),
    collectorRuns: new Counter({
      name: 'holodule_collector_runs_total',
      help: 'Collect runs by outcome: ok, partial (some pages failed) or failed',
      labelNames: ['outcome'],
      registers,
    }),
    collectorDuration: new Histogram({
      name: 'holodule_collector_run_duration_seconds',
      help: 'How long each collect run took',
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    collectorStreams: new Counter({
      name: 'holodule_collector_streams_total',
      help: 'Streams the collector changed: added, updated, moved (rescheduled) or vanished (gone from the page)',
      labelNames: ['change'],
      registers,
    }),
    youtubeQuotaUnits: new Counter({
      name: 'holodule_youtube_quota_units_total',
      help: 'YouTube Data API quota units spent (one per videos.list call; the daily quota is 10,000)',
      registers,
    }),
    sseClients: new Gauge({
      name: 'holodule_sse_clients',
      help: 'Clients connected to the server-sent events stream',
      registers,
    }),
  };
}

/** The login outcome a POST to the login route's status code means. */
export function loginOutcome(status: number): 'success' | 'failure' | 'throttled' | 'invalid' | 'error' {
  if (status === 200) return 'success';
  if (status === 401) return 'failure';
  if (status === 429) return 'throttled';
  if (status < 500) return 'invalid';
  return 'error';
}
