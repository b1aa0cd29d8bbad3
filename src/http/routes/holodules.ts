// GET /holodules/<YYYYMMDD>: one day's streams, the original's shape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { findDayAnswer } from '../../domain/schedule.js';
import { contentCodingOf } from '../content-coding.js';
import { addVary } from '../plugins/http-cache.js';
import { dayRouteSchema } from '../schemas/holodules.js';

export const holoduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The store keeps every day's answer encoded and compressed (src/store/day-answer.ts): a request looks it up
  // and sends the bytes; nothing is serialized, hashed or compressed here.
  const options = {
    schema: dayRouteSchema,
    onRequest: app.requireReader,
    // After the caching plugin's Vary (Authorization, X-API-Key), on every answer, errors and 304s included.
    onSend: async (_request: unknown, reply: FastifyReply, payload: unknown) => {
      addVary(reply, 'Accept-Encoding');
      return payload;
    },
  };
  app.get('/holodules/:date', options, async (request, reply) => {
    const encoding = contentCodingOf(request.headers['accept-encoding']);
    const answer = await findDayAnswer(app.store, request.params.date, encoding);
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    return reply
      .type('application/json; charset=utf-8')
      .header('etag', encoding === 'identity' ? answer.tag : `${answer.tag.slice(0, -1)}-${encoding}"`)
      .send(answer.body as never);
  });
};
