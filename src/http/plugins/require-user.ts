// The request guard: the Authorization header's token must verify and name an existing user.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenFromAuthorizationHeader } from '../../auth/authorization-header.js';
import { userOfToken } from '../../domain/authenticate.js';
import type { User } from '../../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    requireUser: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    user: User | null;
  }
}

export const requireUserPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorate('requireUser', async (request: FastifyRequest) => {
    const token = tokenFromAuthorizationHeader(request.headers.authorization);
    const claims = app.tokens.verify(token);
    request.user = await userOfToken(app.store, claims.identity);
  });
});
