// npm's prepare: build when TypeScript is installed (a development or build install); skip it in a
// production install (npm ci --omit=dev), which runs the dist/ built beforehand.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.log('holodule: TypeScript is not installed (production install): not building; run the dist/ built before');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
