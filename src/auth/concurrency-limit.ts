// At most `slots` tasks at once; the rest wait their turn, first come first served.
export type Limited = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(slots: number): Limited {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (task) => {
    if (running < slots) running++;
    // A finishing task hands its slot straight to the first waiter, so `running` never drops in between.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
