// Times every store operation, once, where the store is composed: no call site knows it is measured.
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';

const PARTS = ['streams', 'users', 'leases', 'auth', 'changes'] as const;

/** Every method `target` answers to, its own and its classes' (not Object's). */
function methodNamesOf(target: object): string[] {
  const names = new Set<string>();
  for (let at: object | null = target; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at)) {
    for (const name of Object.getOwnPropertyNames(at)) {
      if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}

/** `target` with each method timed; made once, so a call costs a timer and an observation, nothing more. */
function timed<T extends object>(part: string, target: T, metrics: Metrics): T {
  const wrapped = Object.create(target) as Record<string, unknown>;
  for (const name of methodNamesOf(target)) {
    const method = (target as Record<string, (...a: unknown[]) => unknown>)[name]!;
    const operation = `${part}.${name}`;
    // One series per outcome, looked up once: this runs several times per request.
    const ok = metrics.storeDuration.labels({ operation, outcome: 'ok' });
    const failed = metrics.storeDuration.labels({ operation, outcome: 'error' });
    wrapped[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const result = await method.apply(target, args);
        ok.observe((performance.now() - started) / 1000);
        return result;
      } catch (err) {
        failed.observe((performance.now() - started) / 1000);
        throw err;
      }
    };
  }
  return wrapped as T;
}

/**
 * The same store, its streams/users/leases/auth/changes operations timed into holodule_store_operation_duration_seconds.
 * The result inherits from `store`, so `instanceof` and everything else of the store still work.
 */
export function instrumentStore<S extends Store>(store: S, metrics: Metrics): S {
  const instrumented = Object.create(store) as S;
  for (const part of PARTS) {
    Object.defineProperty(instrumented, part, { value: timed(part, store[part], metrics), enumerable: true });
  }
  return instrumented;
}
