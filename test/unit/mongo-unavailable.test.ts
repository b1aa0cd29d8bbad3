// Which failures of a MongoDB operation answer 503 (kind `unavailable`) and which stay bugs.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { it } from 'node:test';
import { MongoNetworkError } from 'mongodb';
import { AppError } from '../../src/errors.js';
import { guarded } from '../../src/store/mongo/unavailable.js';

/** A real socket whose other end has closed it: the next write fails as Node fails it. */
async function socketEndedByServer(): Promise<{ socket: Socket; close: () => void }> {
  const server = createServer((peer) => peer.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  socket.resume();
  await once(socket, 'end');
  const close = (): void => {
    socket.destroy();
    server.close();
  };
  return { socket, close };
}

/** Writes and waits for 'drain' the way the driver does when a write is buffered. */
async function writeAndDrain(socket: Socket): Promise<void> {
  if (socket.write(Buffer.from('ping'))) return;
  await once(socket, 'drain');
}

const isUnavailableAppError = (err: unknown): boolean => {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.kind, 'unavailable');
  return true;
};

it('answers unavailable when a write meets a socket the database server has ended (the raw EPIPE the driver lets through)', async (t) => {
  const { socket, close } = await socketEndedByServer();
  t.after(close);

  await assert.rejects(
    guarded(5_000, () => writeAndDrain(socket)),
    (err: unknown) => {
      isUnavailableAppError(err);
      assert.equal(((err as AppError).cause as NodeJS.ErrnoException).code, 'EPIPE');
      return true;
    },
  );
});

it('answers unavailable for the driver network errors it does wrap', async () => {
  await assert.rejects(
    guarded(5_000, () => Promise.reject(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))),
    isUnavailableAppError,
  );
});

it('answers unavailable when the database does not answer in time', async () => {
  await assert.rejects(
    guarded(20, () => new Promise(() => {})),
    isUnavailableAppError,
  );
});

it('leaves any other error as it is: a bug stays a bug (500), not a 503', async () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'key')");
  await assert.rejects(
    guarded(5_000, () => Promise.reject(bug)),
    (err: unknown) => err === bug,
  );
  const fileError = Object.assign(new Error('no such file'), { code: 'ENOENT' });
  await assert.rejects(
    guarded(5_000, () => Promise.reject(fileError)),
    (err: unknown) => err === fileError,
  );
});
