// A local HTTP server on a random loopback port that answers what each test scripts: pages, JSON, errors, hangs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { status?: number; body?: string | object; headers?: Record<string, string> }
  /** Sends the headers and half the body, then drops the connection. */
  | { dropAfterHalf: string }
  /** Never answers (until the server closes). */
  | 'hang';

export type Handler = (request: IncomingMessage, url: URL) => Reply | Promise<Reply>;

export interface FixtureServer {
  url: string;
  /** Answers `path` with these replies in turn; the last one repeats. */
  on(path: string, ...replies: Reply[]): void;
  handle(path: string, handler: Handler): void;
  /** Every request, in arrival order. */
  requests: URL[];
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const handlers = new Map<string, Handler>();
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const handler = handlers.get(url.pathname);
    void Promise.resolve(handler ? handler(req, url) : { status: 404, body: 'not found' }).then((reply) => {
      if (!res.destroyed) send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(path, handler) {
      handlers.set(path, handler);
    },
    on(path, ...replies) {
      let n = 0;
      handlers.set(path, () => replies[Math.min(n++, replies.length - 1)] ?? { status: 404 });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  if ('dropAfterHalf' in reply) {
    const body = Buffer.from(reply.dropAfterHalf);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  const isText = typeof reply.body === 'string' || reply.body === undefined;
  const body = isText ? String(reply.body ?? '') : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=UTF-8',
    ...reply.headers,
  });
  res.end(body);
}
