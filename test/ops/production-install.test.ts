// The production path on a fresh checkout: npm ci, npm run build, npm prune --omit=dev, then holodule serve
// runs with production dependencies only. npm takes packages from its cache (the suite's own npm ci filled it).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cleanEnv, exitOf } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The files a fresh clone would have: tracked ones and new ones not ignored (no node_modules, no dist). */
function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repo, f)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(repo, file), join(to, file));
  }
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });

const isCheckout = (() => {
  try {
    execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repo, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = process.env.HOLODULE_SKIP_PRODUCTION_INSTALL_TEST ?? (isCheckout ? undefined : 'not a git checkout');

test('a fresh checkout builds (server and web page), drops its dev dependencies, and serves /healthz and the page with production dependencies only', {
  skip: skip ? `skipped: ${skip}` : false,
}, async (t) => {
  const work = makeTempDir('holodule-prod-');
  t.after(() => work.remove());
  const app = join(work.path, 'holodule');
  copyCheckout(app);
  assert.equal(existsSync(join(app, 'node_modules')), false);

  npm(['ci'], app);
  npm(['run', 'build'], app);
  npm(['prune', '--omit=dev'], app);

  assert.ok(existsSync(join(app, 'dist/src/cli/main.js')), 'the CLI is built');
  assert.ok(existsSync(join(app, 'dist/web/index.html')), 'the web page is built');
  assert.equal(existsSync(join(app, 'node_modules/vite')), false, 'Vite is pruned');
  assert.equal(existsSync(join(app, 'dist/test')), false, 'tests are not in the build');
  assert.equal(existsSync(join(app, 'dist/bench')), false, 'benchmarks are not in the build');
  assert.equal(existsSync(join(app, 'node_modules/typescript')), false, 'TypeScript is pruned');
  assert.equal(existsSync(join(app, 'node_modules/@biomejs/biome')), false, 'Biome is pruned');
  // A later npm ci --omit=dev runs prepare without TypeScript: it must skip the build, not fail.
  assert.match(npm(['run', 'prepare'], app), /TypeScript is not installed .*not building/);

  const child = spawn(process.execPath, ['dist/src/cli/main.js', 'serve'], {
    cwd: app,
    env: cleanEnv({ HOLODULE_DATA_DIR: join(work.path, 'data'), PORT: '0', HOLODULE_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(async () => {
    child.kill('SIGTERM');
    await exitOf(child);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { status: string }).status, 'ok');
  // The page, built before the prune, is served with production dependencies only.
  const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(await page.text());
  assert.ok(script, 'index.html loads the hashed script');
  const asset = await fetch(`${url}${script[1]}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(asset.status, 200);
  await asset.arrayBuffer();
  child.kill('SIGTERM');
  assert.equal(await exitOf(child), 0);
});
