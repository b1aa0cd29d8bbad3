import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exitOf, startServeProcess } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Resolves when `read()` first matches `pattern`, checking each time `child` prints. */
function waitForLog(
  child: import('node:child_process').ChildProcess,
  read: () => string,
  pattern: RegExp,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (pattern.test(read())) {
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

describe('holodule serve lifecycle', () => {
  it('on SIGTERM, finishes the request in flight, closes the database and exits 0', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const { child, url, logs } = await startServeProcess({ PORT: '0' }, dir.path);
    t.after(() => child.kill('SIGKILL'));
    const password = readFileSync(join(dir.path, 'data', 'initial-admin-password'), 'utf8').trim();
    const body = JSON.stringify({ username: 'admin', password });
    const { port } = new URL(url);

    // Send the headers and half the body: the request is now in flight on the server.
    const socket = connect(Number(port), '127.0.0.1');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    const answered = new Promise<void>((resolve, reject) => {
      socket.on('data', () => response.includes('access_token') && resolve());
      socket.on('close', () => reject(new Error(`connection closed with no answer: ${JSON.stringify(response)}`)));
    });
    socket.write(
      `POST /auth HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await waitForLog(child, logs, /"msg":"incoming request"/);

    child.kill('SIGTERM');
    await waitForLog(child, logs, /"msg":"stopping: finishing in-flight requests"/);
    socket.write(body.slice(10));
    await answered;
    socket.end();

    assert.match(response, /^HTTP\/1\.1 200 OK/);
    assert.match(response, /"access_token":"ey/);
    assert.equal(await exitOf(child), 0);
    assert.match(logs(), /"msg":"stopped"/);
  });

  it('on SIGTERM with a shutdown delay, /readyz fails first while the request in flight and new ones are served; a second SIGTERM ends the wait', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const { child, url, logs } = await startServeProcess({ PORT: '0', HOLODULE_SHUTDOWN_DELAY_MS: '600000' }, dir.path);
    t.after(() => child.kill('SIGKILL'));
    const password = readFileSync(join(dir.path, 'data', 'initial-admin-password'), 'utf8').trim();
    const body = JSON.stringify({ username: 'admin', password });
    const { port } = new URL(url);

    const socket = connect(Number(port), '127.0.0.1');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    const answered = new Promise<void>((resolve) => {
      socket.on('data', () => response.includes('access_token') && resolve());
    });
    socket.write(
      `POST /auth HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await waitForLog(child, logs, /"msg":"incoming request"/);

    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    child.kill('SIGTERM');
    await waitForLog(child, logs, /"msg":"stopping: \/readyz answers 503 during the shutdown delay/);
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(((await ready.json()) as { failed: string[] }).failed, ['shutdown']);
    assert.equal((await fetch(`${url}/healthz`)).status, 200, 'new requests are still served during the delay');

    socket.write(body.slice(10));
    await answered;
    socket.end();
    assert.match(response, /^HTTP\/1\.1 200 OK/);

    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    assert.match(logs(), /"msg":"stopping now: no more waiting for the shutdown delay"/);
  });

  it('on SIGINT, exits 0 too', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const { child, logs } = await startServeProcess({ PORT: '0' }, dir.path);
    child.kill('SIGINT');
    assert.equal(await exitOf(child), 0);
    assert.match(logs(), /"signal":"SIGINT"/);
  });
});
