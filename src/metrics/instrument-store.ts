// Times every store operation, once, where the store is composed: no call site knows it is measured.
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';

const PARTS = ['streams', 'users', 'leases', 'auth'] as const;

function timed<T extends object>(part: string, target: T, metrics: Metrics): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, name, receiver) {
      const value = Reflect.get(obj, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      let fn = wrapped.get(name);
      if (!fn) {
        const operation = `${part}.${name}`;
        fn = async (...args: unknown[]) => {
          const end = metrics.storeDuration.startTimer({ operation });
          try {
            const result = await (value as (...a: unknown[]) => unknown).apply(obj, args);
            end({ outcome: 'ok' });
            return result;
          } catch (err) {
            end({ outcome: 'error' });
            throw err;
          }
        };
        wrapped.set(name, fn);
      }
      return fn;
    },
  });
}

/**
 * The same store, its streams/users/leases/auth operations timed into holodule_store_operation_duration_seconds.
 * The result inherits from `store`, so `instanceof` and everything else of the store still work.
 */
export function instrumentStore<S extends Store>(store: S, metrics: Metrics): S {
  const instrumented = Object.create(store) as S;
  for (const part of PARTS) {
    Object.defineProperty(instrumented, part, { value: timed(part, store[part], metrics), enumerable: true });
  }
  return instrumented;
}
