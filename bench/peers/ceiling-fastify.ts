// The ceiling: a bare Fastify route answering one day's streams from memory, no auth, no database per
// request, no schema. Nothing holodule does per request can be cheaper than this.
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const path = process.env.BENCH_SQLITE_PATH!;
const day = process.env.BENCH_DAY!;

// Read once at start: the same rows, in the same order and shape, as holodule answers for that day.
const db = new Database(path, { readonly: true });
const holodules = db
  .prepare(
    'SELECT key, video_id, datetime, name, title, url, description FROM holodules ' +
      'WHERE datetime >= ? AND datetime < ? ORDER BY datetime DESC, key DESC',
  )
  .all(day, `${day}~`);
db.close();
const answer = { result: holodules.length, holodules };

const app = Fastify();
app.get<{ Params: { date: string } }>('/holodules/:date', async (request, reply) => {
  if (request.params.date !== day) return reply.status(404).send({ error: 'Not found' });
  return answer;
});
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
