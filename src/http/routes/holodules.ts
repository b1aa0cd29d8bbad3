// GET /holodules/<YYYYMMDD>: one day's streams, the original's shape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findStreamsByDay } from '../../domain/schedule.js';
import type { Stream } from '../../store/types.js';
import { etagOf } from '../plugins/http-cache.js';
import { dayRouteSchema } from '../schemas/holodules.js';

interface EncodedDay {
  body: Buffer;
  etag: string;
}

export const holoduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A store that caches a day hands back the same frozen array until the day changes: its answer is then
  // serialized, UTF-8 encoded and hashed for its ETag once, not on every request (for ~20 KB of Japanese
  // text, a third of the CPU).
  const encodedDays = new WeakMap<Stream[], EncodedDay>();

  app.get('/holodules/:date', { schema: dayRouteSchema, onRequest: app.requireReader }, async (request, reply) => {
    const holodules = await findStreamsByDay(app.store, request.params.date);
    let day = encodedDays.get(holodules);
    if (day === undefined) {
      const body = Buffer.from(reply.serialize({ result: holodules.length, holodules }) as string);
      day = { body, etag: etagOf(body) };
      if (Object.isFrozen(holodules)) encodedDays.set(holodules, day);
    }
    return reply
      .type('application/json; charset=utf-8')
      .header('etag', day.etag)
      .send(day.body as never);
  });
};
