// The SSE bench's clients, in a process of their own so their CPU time is never the server's: opens N event
// streams (node:http, one socket each), says when all are open, then reports when each heard each change.
// Told what to do over IPC: {open: {url, token, clients}}, then {await: {seq, timeoutMs}} per change.
import http from 'node:http';

interface Open {
  url: string;
  token: string;
  clients: number;
}

/** Per change sequence: when each client heard it (epoch ms), and the `sent_at` the change carried. */
const heard = new Map<number, { sentAt: number; latencies: number[] }>();
const waiting = new Map<number, () => void>();
let clients = 0;
let connected = 0;
let failed = 0;
let non2xx = 0;

function onFrame(frame: string): void {
  const id = /^id: (\d+)$/m.exec(frame)?.[1];
  const data = /^data: (.*)$/m.exec(frame)?.[1];
  if (id === undefined || data === undefined || !/^event: stream\./m.test(frame)) return;
  const seq = Number(id);
  const sentAt = (JSON.parse(data) as { sent_at: number }).sent_at;
  const entry = heard.get(seq) ?? { sentAt, latencies: [] };
  entry.latencies.push(Date.now() - sentAt);
  heard.set(seq, entry);
  if (entry.latencies.length >= connected) waiting.get(seq)?.();
}

function openOne(plan: Open, agent: http.Agent): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(plan.url, {
      agent,
      headers: { authorization: `Bearer ${plan.token}`, accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        non2xx++;
        res.resume();
        resolve();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      let first = true;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (first) {
            // The prelude: this stream is subscribed from here on.
            first = false;
            connected++;
            resolve();
          }
          onFrame(frame);
        }
      });
    });
    req.on('error', () => {
      failed++;
      resolve();
    });
  });
}

process.on('message', async (message: { open?: Open; await?: { seq: number; timeoutMs: number }; stop?: true }) => {
  if (message.open) {
    clients = message.open.clients;
    const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    // In waves, so the server's accept queue is not overrun by a thousand SYNs at once.
    for (let i = 0; i < clients; i += 100)
      await Promise.all(Array.from({ length: Math.min(100, clients - i) }, () => openOne(message.open!, agent)));
    process.send?.({ opened: { connected, failed, non2xx } });
  } else if (message.await) {
    const { seq, timeoutMs } = message.await;
    const entry = heard.get(seq);
    if (!entry || entry.latencies.length < connected)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        waiting.set(seq, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    waiting.delete(seq);
    const latencies = heard.get(seq)?.latencies ?? [];
    process.send?.({ heard: { seq, latencies, missing: connected - latencies.length } });
  } else if (message.stop) {
    process.exit(0);
  }
});
