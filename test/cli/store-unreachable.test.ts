import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { it } from 'node:test';
import { runCli } from '../support/cli.js';

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
