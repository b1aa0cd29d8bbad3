// GET /api/v2/streams, /api/v2/streams/{video_id}, /api/v2/live: the schedule's questions, answered by the domain.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { findStream, findStreams, liveNow } from '../../domain/schedule-v2.js';
import { etagOf } from '../plugins/http-cache.js';
import { getStreamSchema, listStreamsSchema, liveSchema } from '../schemas/v2.js';

/** The same query with the next page's cursor, as an RFC 8288 link relative to this request. */
function nextLink(path: string, query: Record<string, string | undefined>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && name !== 'cursor') params.set(name, value);
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}

export const v2StreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // An answer the domain hands back unchanged (the same object: its sources did not change) is serialized,
  // UTF-8 encoded and tagged once, as the v1 day is (http-cache.ts keeps a tag the route set).
  const encoded = new WeakMap<object, { body: Buffer; etag: string }>();
  const sendEncoded = (reply: FastifyReply, answer: object) => {
    let kept = encoded.get(answer);
    if (kept === undefined) {
      const body = Buffer.from(reply.serialize(answer) as string);
      kept = { body, etag: etagOf(body) };
      encoded.set(answer, kept);
    }
    return reply
      .type('application/json; charset=utf-8')
      .header('etag', kept.etag)
      .send(kept.body as never);
  };

  app.get('/api/v2/streams', { schema: listStreamsSchema, onRequest: app.requireReader }, async (request, reply) => {
    const page = await findStreams(app.schedule, request.query);
    if (page.next_cursor !== null)
      void reply.header('link', nextLink('/api/v2/streams', request.query, page.next_cursor));
    return sendEncoded(reply, page);
  });

  app.get('/api/v2/streams/:video_id', { schema: getStreamSchema, onRequest: app.requireReader }, async (request) =>
    findStream(app.schedule, request.params.video_id),
  );

  app.get('/api/v2/live', { schema: liveSchema, onRequest: app.requireReader }, async (request, reply) =>
    sendEncoded(reply, await liveNow(app.schedule, request.query.hours)),
  );
};
