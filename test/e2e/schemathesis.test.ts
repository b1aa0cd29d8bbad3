// Schemathesis (a schema-driven fuzzer) against a real `holodule serve`: every operation of /openapi.json,
// authenticated, all checks on. Any 5xx, undocumented status, body off its schema, wrong content type,
// schema-valid request refused or schema-invalid request accepted fails the suite.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exitOf, startServeProcess } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCHEMATHESIS = join(ROOT, '.venv-schemathesis', 'bin', 'schemathesis');
const CONFIG = join(ROOT, 'test', 'e2e', 'schemathesis.toml');
const HOOKS = join(ROOT, 'test', 'e2e', 'schemathesis_hooks.py');
const MIN_CASES = 2000;
/** Per operation and phase; with 14 operations this gives well over MIN_CASES in about a minute on 2 cores. */
const MAX_EXAMPLES = Number(process.env.HOLODULE_SCHEMATHESIS_EXAMPLES ?? 200);
const RUN_TIMEOUT_MS = 360_000;

interface FuzzRun {
  code: number | null;
  output: string;
  generated: number;
}

function runSchemathesis(args: string[], cwd: string): Promise<FuzzRun> {
  return new Promise((resolve, reject) => {
    const seed = process.env.HOLODULE_SCHEMATHESIS_SEED;
    const child = spawn(
      SCHEMATHESIS,
      ['--config-file', CONFIG, '--no-color', 'run', ...args, ...(seed ? ['--seed', seed] : [])],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, SCHEMATHESIS_HOOKS: HOOKS, PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: RUN_TIMEOUT_MS,
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const generated = Number(/^\s*(\d+) generated/m.exec(output)?.[1] ?? 0);
      resolve({ code, output, generated });
    });
  });
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await post(`${url}/auth`, { username, password });
  assert.equal(res.status, 200, `login as ${username}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('schemathesis', () => {
  it(`finds no server error and no documented-vs-actual mismatch in ${MIN_CASES}+ generated requests over every operation`, {
    timeout: 3 * RUN_TIMEOUT_MS + 60_000,
  }, async (t) => {
    if (!existsSync(SCHEMATHESIS)) {
      const how = 'no .venv-schemathesis: create it with `bash scripts/setup-schemathesis.sh` (see docs/testing.md)';
      // On a developer's machine the fuzzer is optional; in CI it is part of the suite.
      if (process.env.CI === 'true') assert.fail(`${how}; CI must have it (.ci/run creates it)`);
      t.skip(how);
      return;
    }
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const dataDir = join(dir.path, 'data');
    const { child, url } = await startServeProcess({
      PORT: '0',
      HOLODULE_DATA_DIR: dataDir,
      // Generated bodies include many wrong logins: a throttle this high never answers 429 during the run.
      HOLODULE_LOGIN_ACCOUNT_FAILURES: '1000',
      HOLODULE_LOGIN_ADDRESS_FAILURES: '100000',
      // Tokens outlive the run, however slow the machine.
      JWT_EXPIRATION_DELTA: '86400',
      HOLODULE_LOG_LEVEL: 'info',
    });
    t.after(async () => {
      child.kill('SIGTERM');
      await exitOf(child);
    });

    // The fuzzer acts as a throwaway admin with an unguessable name. Two operations can lock it out, because
    // its stateful phase feeds GET /me's username into them: PUT /users/{username}/password (resets its own
    // password, ending its token) and POST /auth/logout (revokes the token presented). Each gets a run of its
    // own after the main one, with a fresh login; logout first, as the reset changes the password.
    const initial = readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim();
    const firstAdmin = await login(url, 'admin', initial);
    const fuzzer = `fuzzer-${randomBytes(8).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    const created = await post(`${url}/users`, { username: fuzzer, password, role: 'admin' }, firstAdmin);
    assert.equal(created.status, 201);

    const LOCKOUTS = ['POST /auth/logout', 'PUT /users/{username}/password'];
    // An event stream never ends by design: each generated request would hold a connection open until the
    // fuzzer's timeout. Its parameters and errors are tested in test/http/events.test.ts instead.
    const NEVER_ENDS = ['GET /api/v2/events'];
    const runs: Array<[string, string[]]> = [
      ['main', [String(MAX_EXAMPLES), ...[...LOCKOUTS, ...NEVER_ENDS].flatMap((name) => ['--exclude-name', name])]],
      ...LOCKOUTS.map((name): [string, string[]] => [name, ['250', '--include-name', name]]),
    ];
    const generated: number[] = [];
    for (const [name, args] of runs) {
      const token = await login(url, fuzzer, password);
      const run = await runSchemathesis(
        [
          `${url}/openapi.json`,
          '--checks',
          'all',
          '--workers',
          '2',
          '--header',
          `Authorization: JWT ${token}`,
          '--max-examples',
          ...args,
        ],
        dir.path,
      );
      assert.equal(run.code, 0, `schemathesis found problems (${name} run):\n${run.output.slice(-20_000)}`);
      generated.push(run.generated);
      if (name === 'main') {
        const [, selected, documented] = /Selected: (\d+)\/(\d+)/.exec(run.output) ?? [];
        assert.equal(
          Number(selected),
          Number(documented) - LOCKOUTS.length - NEVER_ENDS.length,
          'the main run has every other operation',
        );
      }
    }

    const total = generated.reduce((a, b) => a + b, 0);
    t.diagnostic(`schemathesis generated ${total} test cases (${generated.join(' + ')})`);
    assert.ok(total >= MIN_CASES, `only ${total} test cases were generated`);
  });
});
