// The MongoDB for the MongoDB row: started through bench/mongo-host.ts, stopped when the row is done.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const HOST = fileURLToPath(new URL('./mongo-host.js', import.meta.url));

export interface MongoBackend {
  url: string;
  stop(): Promise<void>;
}

/** The server, or the reason there is none. */
export async function startMongoBackend(): Promise<MongoBackend | { unavailable: string }> {
  // The helper speaks node:test's TAP on stdout; only its stderr (the reason when there is no server) matters.
  const child = fork(HOST, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const message = await new Promise<{ url: string | null; reason?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string | null; reason?: string }));
    child.once('exit', (code, signal) => reject(new Error(`MongoDB host exited (${code ?? signal}) before reporting`)));
  });
  const stop = async () => {
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  if (message.url === null) {
    await stop();
    return { unavailable: message.reason ?? 'no MongoDB server' };
  }
  return { url: message.url, stop };
}
