// Background collection for `holodule serve`: every interval (plus jitter), never two runs at once, and only on
// the instance holding the store's lease, so several instances sharing a MongoDB collect once between them.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config.js';
import type { Store } from '../store/types.js';
import { createCollector, type CollectResult, type Collector } from './collect.js';

export const COLLECT_LEASE = 'collector';
const MAX_JITTER_MS = 60_000;
const DEFAULT_INITIAL_DELAY_MS = 5_000;

export type RunOutcome =
  | { ran: true; result: CollectResult }
  | { ran: false; reason: 'lease-held-elsewhere' | 'stopped' | 'disabled' | 'error'; error?: string };

export interface CollectSchedulerOptions {
  store: Store;
  config: CollectorConfig;
  log: Logger;
  /** Default: a collector made from `store`, `config` and `log`. */
  collector?: Collector;
  /** Default: config.intervalMs; 0 turns background collection off. */
  intervalMs?: number;
  /** Up to this much random delay is added to each wait. Default: a tenth of the interval, at most a minute. */
  jitterMs?: number;
  /** Wait before the first run (plus jitter). */
  initialDelayMs?: number;
  /** This instance's name in the lease; default host, pid and a random part. */
  holder?: string;
  /** How long the lease outlives its last renewal; default twice the interval plus a minute. */
  leaseTtlMs?: number;
  /** Called after each attempt, whether it ran or not. */
  onRun?: (outcome: RunOutcome) => void;
}

export interface CollectScheduler {
  readonly enabled: boolean;
  /** When the next run is due; null when stopped or disabled. */
  readonly nextRunAt: Date | null;
  /** Collects now, unless a run is already going (then it waits for that one). Respects the lease. */
  runNow(): Promise<RunOutcome>;
  /** No further runs; aborts the requests of a running one, waits for it to end, gives the lease up. */
  stop(): Promise<void>;
}

export function startCollectScheduler(options: CollectSchedulerOptions): CollectScheduler {
  const { store, log } = options;
  const intervalMs = options.intervalMs ?? options.config.intervalMs;
  if (intervalMs <= 0) {
    log.info('background collection is off (HOLODULE_COLLECT_INTERVAL=0)');
    return {
      enabled: false,
      nextRunAt: null,
      runNow: async () => ({ ran: false, reason: 'disabled' }),
      stop: async () => {},
    };
  }
  const collector = options.collector ?? createCollector({ store, config: options.config, log });
  const jitterMs = options.jitterMs ?? Math.min(MAX_JITTER_MS, intervalMs / 10);
  const leaseTtlMs = options.leaseTtlMs ?? 2 * intervalMs + 60_000;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let nextRunAt: Date | null = null;
  let current: Promise<RunOutcome> | null = null;
  let stopped = false;

  async function attempt(): Promise<RunOutcome> {
    try {
      if (!(await store.leases.acquire(COLLECT_LEASE, holder, leaseTtlMs))) {
        log.debug({ holder }, 'another instance holds the collector lease: not collecting');
        return { ran: false, reason: 'lease-held-elsewhere' };
      }
      return { ran: true, result: await collector.collect({ signal: abort.signal }) };
    } catch (err) {
      if (abort.signal.aborted) return { ran: false, reason: 'stopped' };
      const error = err instanceof Error ? err.message : String(err);
      log.error({ err }, 'collect run failed; will try again at the next interval');
      return { ran: false, reason: 'error', error };
    }
  }

  async function runNow(): Promise<RunOutcome> {
    if (stopped) return { ran: false, reason: 'stopped' };
    if (current) return current;
    const run = attempt();
    current = run;
    try {
      const outcome = await run;
      options.onRun?.(outcome);
      return outcome;
    } finally {
      if (current === run) current = null;
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    const wait = delayMs + Math.random() * jitterMs;
    nextRunAt = new Date(Date.now() + wait);
    timer = setTimeout(() => {
      timer = null;
      nextRunAt = null;
      void runNow().finally(() => schedule(intervalMs));
    }, wait);
    // The HTTP server keeps the process alive; this timer alone should not.
    timer.unref();
  }

  schedule(options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS);
  log.info({ intervalMs, holder }, 'background collection scheduled');

  return {
    enabled: true,
    get nextRunAt() {
      return nextRunAt;
    },
    runNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      nextRunAt = null;
      abort.abort(new Error('holodule is stopping'));
      await current?.catch(() => undefined);
      try {
        await store.leases.release(COLLECT_LEASE, holder);
      } catch (err) {
        log.warn({ err }, 'could not give the collector lease up; another instance takes it over when it expires');
      }
    },
  };
}
