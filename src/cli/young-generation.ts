// V8 doubles its young generation whenever a scavenge finds most of it alive, as it does while `serve` loads its
// ~500 modules: 32 MB committed that an idle server then keeps. These set how much it grows, from here on.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** V8's own default factor (`--semi-space-growth-factor`). */
const V8_GROWTH_FACTOR = 2;
/** A busy server's young generation: a quarter of V8's 32 MiB, which its peak RSS paid in full (docs/performance.md). */
export const SERVING_YOUNG_GENERATION_BYTES = 8 * 1024 * 1024;

const youngGenerationBytes = (): number =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

/** Start-up: the young generation stays at its initial size; what survives goes to the old generation. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Once serving: under load it grows as V8 would grow it, up to `upTo` bytes (it grows only at a scavenge). */
export function letYoungGenerationGrow(upTo = SERVING_YOUNG_GENERATION_BYTES): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
  // Seen after the scavenge that grew it, so it may end one doubling past `upTo` if two come before this runs.
  const observer = new PerformanceObserver(() => {
    if (youngGenerationBytes() < upTo) return;
    keepYoungGenerationSmall();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
