// The physical limit: Node's own http module answering a day's body encoded (and compressed) once at start, with
// no framework, no routing beyond a map lookup, no auth and no database. holodule's hot day query is measured
// against this.
import { createServer } from 'node:http';
import { encodeDay } from '../../src/store/day-answer.js';
import type { Stream } from '../../src/store/types.js';
import { benchDays, readDays } from './day-source.js';

const PREFIX = '/holodules/';
const bodies = new Map(
  [...readDays(process.env.BENCH_SQLITE_PATH!, benchDays())].map(([day, streams]) => [
    `${PREFIX}${day}`,
    encodeDay(streams as unknown as Stream[])!,
  ]),
);
const NOT_FOUND = Buffer.from('{"error":"Not found"}');

const server = createServer((request, response) => {
  const day = bodies.get(request.url ?? '');
  if (day === undefined) {
    response.writeHead(404, { 'content-type': 'application/json', 'content-length': NOT_FOUND.length });
    response.end(NOT_FOUND);
    return;
  }
  const accepted = request.headers['accept-encoding'] ?? '';
  const [body, encoding] = accepted.includes('br')
    ? [day.br, 'br']
    : accepted.includes('gzip')
      ? [day.gzip, 'gzip']
      : [day.identity, undefined];
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  response.end(body);
});
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
