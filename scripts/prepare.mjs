// npm's prepare: build when TypeScript is installed (a development or build install): the server (tsc) and the
// page (web/ with Vite, scripts/build-web.mjs). A production install (npm ci --omit=dev) skips it and runs the
// dist/ built beforehand (dist/src and dist/web): build first, then prune (docs/web-page.md).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** TypeScript's tsc script (its package exports no bin/ path: found through package.json's bin). */
const tscPath = () => join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
let tsc;
try {
  tsc = tscPath();
} catch {
  console.log('holodule: TypeScript is not installed (production install): not building; run the dist/ built before');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
const typebox = spawnSync(process.execPath, [fileURLToPath(new URL('bundle-typebox.mjs', import.meta.url)), 'dist'], {
  stdio: 'inherit',
});
if (typebox.status !== 0) process.exit(typebox.status ?? 1);
const web = spawnSync(process.execPath, [fileURLToPath(new URL('build-web.mjs', import.meta.url))], {
  stdio: 'inherit',
});
process.exit(web.status ?? 1);
