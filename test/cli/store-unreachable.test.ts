import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../support/cli.js';
import { holdWriteLock } from '../support/file-faults.js';
import { makeTempDir } from '../support/temp-dir.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

it('gives up on an unreachable MongoDB after a few tries, with one line saying where, and exit code 1', async () => {
  const port = await closedPort();

  const sut = await runCli(['user', 'list'], {
    env: { MONGODB_HOST: `127.0.0.1:${port}`, HOLODULE_MONGODB_TIMEOUT_MS: '200' },
  });

  assert.equal(sut.code, 1);
  const lines = sut.stderr.trim().split('\n');
  assert.match(
    lines.at(-1)!,
    new RegExp(
      `^holodule: MongoDB at 127\\.0\\.0\\.1:${port} \\(database holoduledb\\) is unreachable after 3 attempts: .+$`,
    ),
  );
  assert.equal(lines.filter((l) => /retrying in/.test(l)).length, 2);
  assert.doesNotMatch(sut.stderr, /\n\s+at /, 'no stack trace');
});

it('when another process holds the SQLite write lock past the busy timeout, then a command says the database is unavailable, exit code 1', async (t) => {
  const dir = makeTempDir();
  const env = { HOLODULE_DATA_DIR: dir.path, HOLODULE_SAMPLE_DATA: 'false', HOLODULE_SQLITE_BUSY_TIMEOUT_MS: '200' };
  const made = await runCli(['user', 'list'], { env });
  assert.equal(made.code, 0, made.stderr);
  const lock = await holdWriteLock(join(dir.path, 'holodule.sqlite'));
  t.after(async () => {
    await lock.release();
    dir.remove();
  });

  const sut = await runCli(['user', 'add', 'alice'], { env, stdin: 'password-alice\n' });

  assert.equal(sut.code, 1);
  assert.equal(sut.stderr.trim(), 'holodule: the database is unavailable: database is locked');
});
