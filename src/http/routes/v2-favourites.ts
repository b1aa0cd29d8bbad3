// GET /api/v2/me/favourites, PUT and DELETE /api/v2/me/favourites/{code}: the signed-in user's favourite talents.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addFavourite, listFavourites, removeFavourite } from '../../domain/favourites.js';
import { addFavouriteSchema, listFavouritesSchema, removeFavouriteSchema } from '../schemas/favourites.js';

export const v2FavouriteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Never shown stale: a client may keep the list but revalidates each time (ETag → 304).
  app.get(
    '/api/v2/me/favourites',
    { schema: listFavouritesSchema, onRequest: app.requireUser, config: { httpCache: 'revalidate' } },
    async (request) => listFavourites(app.schedule, request.user!),
  );

  app.put(
    '/api/v2/me/favourites/:code',
    { schema: addFavouriteSchema, onRequest: app.requireUser },
    async (request, reply) => {
      await addFavourite(app.schedule, request.user!, request.params.code);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v2/me/favourites/:code',
    { schema: removeFavouriteSchema, onRequest: app.requireUser },
    async (request, reply) => {
      await removeFavourite(app.schedule, request.user!, request.params.code);
      return reply.status(204).send(null);
    },
  );
};
