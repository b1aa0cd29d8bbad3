// Calendar feeds: managing your own (/me/feeds), an admin's view of anyone's, and the feed itself
// (/feeds/{token}.ics), which calendar apps fetch with no header: the URL is the credential.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { createFeed, feedOfToken, listFeeds, revokeFeed } from '../../domain/calendar-feeds.js';
import { notFound } from '../../errors.js';
import { loggableUrl } from '../logger.js';
import type { User } from '../../store/types.js';
import {
  createFeedSchema,
  feedCalendarSchema,
  listFeedsSchema,
  listUserFeedsSchema,
  revokeFeedSchema,
  revokeUserFeedSchema,
} from '../schemas/subscriptions.js';

const revalidate = { httpCache: 'revalidate' } as const;

/** The request as logged on the feed route: the path holds the secret, so it is never written down. */
const redactedFeedRequest = (request: FastifyRequest) => ({
  method: request.method,
  url: loggableUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
});

export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const userNamed = async (username: string): Promise<User> => {
    const user = await app.store.users.findByUsername(username);
    if (user === null) throw notFound(`no user "${username}"`);
    return user;
  };

  app.post('/me/feeds', { schema: createFeedSchema, onRequest: app.requireUser }, async (request, reply) => {
    const directory = await app.schedule.talents.current();
    const { feed, token } = await createFeed(app.store, directory, request.user!, request.body);
    const url = `${request.protocol}://${request.host}/feeds/${token}.ics`;
    request.log.info({ event: 'feed.create', username: request.user!.username, id: feed.id }, 'calendar feed made');
    return reply.status(201).send({ ...feed, url, webcal_url: url.replace(/^https?:/, 'webcal:') });
  });

  app.get('/me/feeds', { schema: listFeedsSchema, onRequest: app.requireUser, config: revalidate }, async (request) =>
    listFeeds(app.store, request.user!),
  );

  app.delete('/me/feeds/:id', { schema: revokeFeedSchema, onRequest: app.requireUser }, async (request, reply) => {
    await revokeFeed(app.store, request.user!, request.params.id);
    request.log.info({ event: 'feed.revoke', username: request.user!.username, id: request.params.id }, 'feed revoked');
    return reply.status(204).send(null);
  });

  app.get(
    '/users/:username/feeds',
    { schema: listUserFeedsSchema, onRequest: app.requireAdmin, config: revalidate },
    async (request) => listFeeds(app.store, await userNamed(request.params.username)),
  );

  app.delete(
    '/users/:username/feeds/:id',
    { schema: revokeUserFeedSchema, onRequest: app.requireAdmin },
    async (request, reply) => {
      const { username, id } = request.params;
      await revokeFeed(app.store, await userNamed(username), id);
      app.log.info({ event: 'feed.revoke', actor: request.user!.username, username, id }, 'admin: feed.revoke');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/feeds/:file',
    { schema: feedCalendarSchema, logSerializers: { req: redactedFeedRequest } },
    async (request, reply) => {
      const { file } = request.params;
      if (!file.endsWith('.ics')) throw notFound();
      const feed = await feedOfToken(app.store, file.slice(0, -'.ics'.length));
      const directory = await app.schedule.talents.current();
      const settings = app.config.calendar;
      // ical-generator is loaded by the first feed read.
      const { renderCalendar, streamsForFeed } = await import('../../domain/calendar.js');
      const streams = await streamsForFeed(app.store, feed.filters ?? {}, directory, settings, Date.now());
      return reply
        .type('text/calendar; charset=utf-8')
        .send(renderCalendar(`holodule: ${feed.name}`, streams, directory, settings));
    },
  );
};
