// Builds the page: typechecks web/ (its own tsconfig, as strict as the server's), runs Vite's build into
// dist/web, then writes the .br/.gz siblings. Used by `npm run build`, `npm run build:web` and prepare.mjs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** TypeScript's tsc script (its package exports no bin/ path: found through package.json's bin). */
const tscPath = () => join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const root = fileURLToPath(new URL('..', import.meta.url));

const tsc = spawnSync(process.execPath, [tscPath(), '-p', 'web/tsconfig.json'], {
  stdio: 'inherit',
  cwd: root,
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { build } = await import('vite');
await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
await import('./compress-web.mjs');
