// The load generator's process: autocannon, told what to do over IPC, so its own CPU time is never the
// server's. It runs the warm-up (discarded) and then the measured run, and sends back one summary.
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  /** Paths asked in turn instead of the URL's (a different day each request); every connection cycles through all. */
  paths?: string[];
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number;
  /** Seconds before a request counts as timed out (an error). */
  timeoutSeconds: number;
}

export interface LoadSummary {
  requestsPerSecond: number;
  requestsTotal: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  bytesPerSecond: number;
  durationSeconds: number;
}

interface Measured {
  result: autocannon.Result;
  /** Every 2xx response time in ms, unrounded: autocannon's own histogram keeps whole milliseconds only. */
  times: Float64Array;
}

function inTurn(paths: string[]) {
  let next = 0;
  return (request: autocannon.Request) => ({ ...request, path: paths[next++ % paths.length]! });
}

function run(plan: LoadPlan, seconds: number): Promise<Measured> {
  let times = new Float64Array(1 << 16);
  let count = 0;
  return new Promise((resolve, reject) => {
    const tracker = autocannon(
      {
        url: plan.url,
        method: plan.method,
        headers: plan.headers,
        ...(plan.body === undefined ? {} : { body: plan.body }),
        connections: plan.connections,
        duration: seconds,
        timeout: plan.timeoutSeconds,
        ...(plan.overallRate === undefined ? {} : { overallRate: plan.overallRate }),
        ...(plan.paths === undefined ? {} : { requests: [{ setupRequest: inTurn(plan.paths) }] }),
      },
      (err, result) => (err ? reject(err as Error) : resolve({ result, times: times.subarray(0, count) })),
    );
    tracker.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode > 299) return;
      if (count === times.length) {
        const bigger = new Float64Array(times.length * 2);
        bigger.set(times);
        times = bigger;
      }
      times[count++] = responseTime;
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function summarise({ result, times }: Measured): LoadSummary {
  const sorted = times.slice().sort();
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    requestsPerSecond: result.requests.average,
    requestsTotal: result.requests.total,
    latencyMs: {
      p50: round3(percentile(sorted, 50)),
      p99: round3(percentile(sorted, 99)),
      max: round3(sorted.at(-1) ?? 0),
      mean: round3(mean),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    bytesPerSecond: result.throughput.average,
    durationSeconds: result.duration,
  };
}

process.once('message', (plan: LoadPlan) => {
  (async () => {
    if (plan.warmupSeconds > 0) await run(plan, plan.warmupSeconds);
    const summary = summarise(await run(plan, plan.durationSeconds));
    process.send!({ summary }, () => process.disconnect());
  })().catch((err: unknown) => {
    process.send!({ error: err instanceof Error ? err.message : String(err) }, () => process.disconnect());
  });
});
