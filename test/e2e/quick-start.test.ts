import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeStream } from '../support/streams.js';
import { cleanEnv, exitOf, startServeProcess } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The README's quick-start curl block, exactly as printed. */
function quickStartCurlBlock(): string {
  const readme = readFileSync(README, 'utf8');
  const match = /<!-- quick-start-curl[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'the README has a quick-start curl block');
  return match[1]!;
}

describe('the quick start', () => {
  it("on a fresh directory, the README's curl lines get a token and a day of sample streams", async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const { child, url, logs } = await startServeProcess({ PORT: '0' }, dir.path);
    t.after(() => child.kill('SIGKILL'));
    assert.match(logs(), /created user \\"admin\\" with password/);
    assert.match(logs(), /seeded a sample schedule/);

    // Only the port differs from the README: the test cannot take 5000.
    const script = quickStartCurlBlock().replaceAll('localhost:5000', `127.0.0.1:${new URL(url).port}`);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir.path,
      env: cleanEnv({}),
    });

    const body = JSON.parse(stdout) as { result: number; holodules: Array<{ title: string; video_id: string }> };
    assert.equal(body.result, 5);
    assert.ok(body.holodules.every((s) => s.title.startsWith('[sample]') && s.video_id.startsWith('sample')));
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  });

  it('never seeds sample data or a first admin into a database that already exists', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const existing = new SqliteStore(join(dir.path, 'data', 'holodule.sqlite'));
    await existing.streams.upsertMany([makeStream('20201209 230000')]);
    await existing.close();

    const { child, logs } = await startServeProcess({ PORT: '0' }, dir.path);
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);

    assert.doesNotMatch(logs(), /seeded|created user/);
    const reopened = new SqliteStore(join(dir.path, 'data', 'holodule.sqlite'));
    t.after(() => reopened.close());
    assert.equal(await reopened.streams.count(), 1);
    assert.equal(await reopened.users.count(), 0);
  });

  it('keeps the generated signing secret, so a token survives a restart', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const first = await startServeProcess({ PORT: '0' }, dir.path);
    assert.match(first.logs(), /generated a signing secret/);
    const password = readFileSync(join(dir.path, 'data', 'initial-admin-password'), 'utf8').trim();
    const login = await fetch(`${first.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    first.child.kill('SIGTERM');
    await exitOf(first.child);

    const second = await startServeProcess({ PORT: '0' }, dir.path);
    t.after(() => second.child.kill('SIGKILL'));
    assert.doesNotMatch(second.logs(), /generated a signing secret/);
    const res = await fetch(`${second.url}/holodules/20201209`, { headers: { authorization: `JWT ${token}` } });
    assert.equal(res.status, 200);
  });
});
