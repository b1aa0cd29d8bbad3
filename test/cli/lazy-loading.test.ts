// A command loads only what it uses (docs/performance.md, "Start-up and footprint"). These tests check which
// packages a real `holodule` process imported, never how long it took.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CLI, cleanEnv, runNodeScript } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const HOOK = pathToFileURL(join(import.meta.dirname, '../support/record-packages.js')).href;

/** Runs `holodule ...args` and returns its exit code, output and the packages it imported. */
async function packagesOf(args: string[], env: Record<string, string>, stdin?: string) {
  const dir = makeTempDir('holodule-lazy-');
  try {
    const record = join(dir.path, 'packages.txt');
    const result = await runNodeScript(CLI, args, {
      env: cleanEnv({
        HOLODULE_DATA_DIR: dir.path,
        HOLODULE_SQLITE_PATH: join(dir.path, 'holodule.sqlite3'),
        JWT_SECRET_KEY: 'lazy-loading-test-secret-0123456789abcdef',
        NODE_OPTIONS: `--import=${HOOK}`,
        HOLODULE_RECORD_PACKAGES: record,
        ...env,
      }),
      ...(stdin === undefined ? {} : { stdin }),
    });
    const packages = new Set(existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);
    return { ...result, packages };
  } finally {
    dir.remove();
  }
}

describe('a command loads only what it uses', () => {
  it('holodule --help loads no driver, no parser, no web framework', async () => {
    const run = await packagesOf(['--help'], {});
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /usage:/);
    for (const name of ['mongodb', 'cheerio', 'fastify', 'better-sqlite3', '@node-rs/argon2', 'prom-client'])
      assert.ok(!run.packages.has(name), `--help loaded ${name}`);
  });

  it('a command on SQLite does not load the MongoDB driver or the page parser', async () => {
    const run = await packagesOf(['user', 'list'], {});
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.packages.has('better-sqlite3'), 'the hook sees what the command does load');
    for (const name of ['mongodb', 'cheerio', 'fastify'])
      assert.ok(!run.packages.has(name), `user list loaded ${name}`);
  });

  it('holodule serve on SQLite loads neither the MongoDB driver nor the page parser, even with collection on', async () => {
    const dir = makeTempDir('holodule-lazy-serve-');
    try {
      const record = join(dir.path, 'packages.txt');
      const child = spawn(process.execPath, [CLI, 'serve'], {
        env: cleanEnv({
          HOLODULE_DATA_DIR: dir.path,
          HOLODULE_SQLITE_PATH: join(dir.path, 'holodule.sqlite3'),
          JWT_SECRET_KEY: 'lazy-loading-test-secret-0123456789abcdef',
          NODE_OPTIONS: `--import=${HOOK}`,
          HOLODULE_RECORD_PACKAGES: record,
          HOLODULE_LOG_LEVEL: 'info',
          HOLODULE_LOG_FORMAT: 'json',
          // Scheduled, never due during the test: the scheduler is built, its first page read is not.
          HOLODULE_COLLECT_INTERVAL: '1h',
          HOLODULE_URL: 'http://127.0.0.1:9/',
          HOST: '127.0.0.1',
          PORT: '0',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(child, 'exit');
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('holodule is serving')) resolve();
        });
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code} before serving:\n${output}`)));
      });
      child.kill('SIGTERM');
      await exited;
      const packages = new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean));
      assert.ok(packages.has('fastify') && packages.has('better-sqlite3'), 'the hook sees what serve does load');
      for (const name of ['mongodb', 'cheerio', 'ical-generator'])
        assert.ok(!packages.has(name), `serve loaded ${name}`);
    } finally {
      dir.remove();
    }
  });

  it('holodule import builds no password hasher (no Argon2 decoy) when it only writes streams', async () => {
    const run = await packagesOf(['import', '-'], {}, '[]');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.packages.has('@node-rs/argon2'), 'import loaded Argon2');
  });
});
