// GET /holodules/<YYYYMMDD>: one day's streams, the original's shape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findDayAnswer } from '../../domain/schedule.js';
import { contentCodingOf, tagOfEncoding } from '../content-coding.js';
import type { HotDay } from '../hot-day.js';
import { addVary } from '../plugins/http-cache.js';
import { dayRouteSchema } from '../schemas/holodules.js';

/** The route's template, as metrics name it. */
export const DAY_ROUTE = '/holodules/:date';

export interface HoloduleRoutesOptions {
  /** The hot path in front of Fastify (hot-day.ts): what a request handed over from it met there. */
  hotDay: Pick<HotDay, 'failureOf'>;
}

export const holoduleRoutes: FastifyPluginAsyncTypebox<HoloduleRoutesOptions> = async (app, { hotDay }) => {
  // A request that failed on the hot path fails here with the same error, where the guard would have failed it
  // (the path and day are valid, or the hot path would not have taken it); no step is done twice.
  const handedOver = async (request: FastifyRequest) => {
    const failure = hotDay.failureOf(request.raw);
    if (failure !== undefined) throw failure.error;
  };
  // The store keeps every day's answer encoded and compressed (src/store/day-answer.ts): a request looks it up
  // and sends the bytes; nothing is serialized, hashed or compressed here.
  const options = {
    schema: dayRouteSchema,
    onRequest: [handedOver, app.requireReader],
    // After the caching plugin's Vary (Authorization, X-API-Key), on every answer, errors and 304s included.
    onSend: async (_request: unknown, reply: FastifyReply, payload: unknown) => {
      addVary(reply, 'Accept-Encoding');
      return payload;
    },
  };
  app.get(DAY_ROUTE, options, async (request, reply) => {
    const encoding = contentCodingOf(request.headers['accept-encoding']);
    const answer = await findDayAnswer(app.store, request.params.date, encoding);
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    return reply
      .type('application/json; charset=utf-8')
      .header('etag', tagOfEncoding(answer.tag, encoding))
      .send(answer.body as never);
  });
};
