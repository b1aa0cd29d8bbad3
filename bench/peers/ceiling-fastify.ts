// The ceiling: a bare Fastify route answering a day's streams from memory, no auth, no database per request, no
// schema: the object is serialized (JSON.stringify) on every request. Nothing holodule does per request can be
// cheaper than this, short of not serializing at all (raw-http.ts).
import Fastify from 'fastify';
import { benchDays, readDays } from './day-source.js';

const days = readDays(process.env.BENCH_SQLITE_PATH!, benchDays());
const answers = new Map([...days].map(([day, holodules]) => [day, { result: holodules.length, holodules }]));

const app = Fastify();
app.get<{ Params: { date: string } }>('/holodules/:date', async (request, reply) => {
  const answer = answers.get(request.params.date);
  if (answer === undefined) return reply.status(404).send({ error: 'Not found' });
  return answer;
});
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
