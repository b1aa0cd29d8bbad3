// The request guards: the Authorization header's access token must verify and name an enabled user
// (requireUser); some routes also need the admin role (requireAdmin).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenFromAuthorizationHeader } from '../../auth/authorization-header.js';
import type { TokenClaims, VerifiedToken } from '../../auth/tokens.js';
import { roleOf, userOfToken } from '../../domain/sessions.js';
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
    /** The verified access token (claims and revocation id), for logout. */
    token: VerifiedToken | null;
  }
}

export const requireUserPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorateRequest('claims', null);
  app.decorateRequest('token', null);

  async function requireUser(request: FastifyRequest): Promise<void> {
    const verified = await app.tokens.verify(tokenFromAuthorizationHeader(request.headers.authorization), 'access');
    request.user = await userOfToken(app.store, verified);
    request.claims = verified.claims;
    request.token = verified;
  }

  app.decorate('requireUser', requireUser);
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    await requireUser(request);
    if (roleOf(request.user!) !== 'admin') {
      throw new AppError(403, 'Forbidden', 'This needs the admin role', { shape: 'jwt' });
    }
  });
});
