// A value components follow: set() re-renders every component that reads it with useValue().
import { useEffect, useState } from 'preact/hooks';

export class Value<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private current: T) {}
  get(): T {
    return this.current;
  }
  set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function useValue<T>(value: Value<T>): T {
  const seen = value.get();
  const [, setState] = useState(0);
  useEffect(() => {
    const unsubscribe = value.subscribe(() => setState((n) => n + 1));
    // Effects run after the render: a change in between would otherwise be missed.
    if (!Object.is(value.get(), seen)) setState((n) => n + 1);
    return unsubscribe;
  }, [value]);
  return seen;
}

/** A setting kept in localStorage (a browser that refuses storage keeps it for the page's life). */
export function storedValue<T extends string>(key: string, allowed: readonly T[], fallback: T): Value<T> {
  let initial = fallback;
  try {
    const saved = localStorage.getItem(key);
    if (saved && (allowed as readonly string[]).includes(saved)) initial = saved as T;
  } catch {
    // storage refused
  }
  const value = new Value<T>(initial);
  value.subscribe((next) => {
    try {
      localStorage.setItem(key, next);
    } catch {
      // storage refused
    }
  });
  return value;
}
