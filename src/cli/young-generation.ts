// V8 doubles its young generation whenever a scavenge finds most of it alive, as it does while `serve` loads its
// ~500 modules: 32 MB committed that an idle server then keeps. These set how much it grows, from here on.
import { setFlagsFromString } from 'node:v8';

/** V8's own default factor (`--semi-space-growth-factor`). */
const V8_GROWTH_FACTOR = 2;

/** Start-up: the young generation stays at its initial size; what survives goes to the old generation. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Once serving: under load it grows as V8 would grow it, so a busy server scavenges no more often than before. */
export function letYoungGenerationGrow(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}
