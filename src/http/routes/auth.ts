// POST /auth (or JWT_AUTH_URL_RULE): the original's login, plus refresh and logout beside it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { logout, refreshSession } from '../../domain/sessions.js';
import { authRouteSchema, logoutRouteSchema, refreshRouteSchema } from '../schemas/auth.js';

const authConfig = { validationErrors: 'credentials', errorShape: 'jwt' } as const;

export const authRoutes: FastifyPluginAsyncTypebox<{ path: string }> = async (app, { path }) => {
  const sessions = { store: app.store, tokens: app.tokens };

  app.post(path, { schema: authRouteSchema, config: authConfig }, async (request) => {
    const login = await app.logins.logIn(request.body, request.ip, request.log);
    return login.pair;
  });

  app.post(
    `${path === '/' ? '' : path}/refresh`,
    { schema: refreshRouteSchema, config: { errorShape: 'jwt' } },
    async (request) => {
      return refreshSession(sessions, request.body.refresh_token);
    },
  );

  app.post(
    `${path === '/' ? '' : path}/logout`,
    { schema: logoutRouteSchema, onRequest: app.requireUser },
    async (request, reply) => {
      await logout(sessions, request.token!);
      request.log.info({ event: 'auth.logout', username: request.user!.username }, 'logged out');
      return reply.status(204).send(null);
    },
  );
};
