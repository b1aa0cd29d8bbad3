// The v2 rows' peer: a bare Fastify route answering the same JSON as holodule's v2 answer for the same path,
// from memory (read once at start), no auth, no database, no schema. Nothing holodule does per request can be
// cheaper than this.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const answers = new Map(Object.entries(JSON.parse(readFileSync(process.env.BENCH_ANSWERS_FILE!, 'utf8')) as object));

const app = Fastify();
app.get('/api/v2/*', async (request, reply) => {
  const answer = answers.get(request.url);
  if (answer === undefined) return reply.status(404).send({ error: 'Not found' });
  return answer;
});
app.get('/', async () => ({ ok: true }));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
