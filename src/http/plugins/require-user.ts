// The request guards: the Authorization header's access token must verify and name an enabled user
// (requireUser); some routes also need the admin role (requireAdmin).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenFromAuthorizationHeader } from '../../auth/authorization-header.js';
import type { TokenClaims } from '../../auth/tokens.js';
import { roleOf, userOfClaims } from '../../domain/sessions.js';
import { AppError } from '../../errors.js';
import type { User } from '../../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    requireUser: (request: FastifyRequest) => Promise<void>;
    requireAdmin: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    user: User | null;
    claims: TokenClaims | null;
  }
}

export const requireUserPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorateRequest('claims', null);

  async function requireUser(request: FastifyRequest): Promise<void> {
    const token = tokenFromAuthorizationHeader(request.headers.authorization);
    const claims = await app.tokens.verify(token, 'access');
    request.user = await userOfClaims(app.store, claims);
    request.claims = claims;
  }

  app.decorate('requireUser', requireUser);
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    await requireUser(request);
    if (roleOf(request.user!) !== 'admin') {
      throw new AppError(403, 'Forbidden', 'This needs the admin role', { shape: 'jwt' });
    }
  });
});
