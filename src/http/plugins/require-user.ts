// The request guards: the Authorization header's access token must verify and name an enabled user
// (requireUser); some routes also need the admin role (requireAdmin). An API key is refused here: keys only
// read, through requireReader.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenFromAuthorizationHeader, WWW_AUTHENTICATE } from '../../auth/authorization-header.js';
import type { TokenClaims, TokenService, VerifiedToken } from '../../auth/tokens.js';
import { roleOf, userOfToken } from '../../domain/sessions.js';
import { forbidden, jwtError } from '../../errors.js';
import type { Store, User } from '../../store/types.js';

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

/** Whether the request (Fastify's, or node's own) carries an Authorization header with anything in it. */
export const hasAuthorization = (request: { headers: IncomingHttpHeaders }): boolean =>
  (request.headers.authorization ?? '').trim() !== '';
/**
 * The access token of an Authorization header, verified, and the enabled user it names (its login not ended):
 * requireUser's check, and the hot day read's (hot-day.ts), so both take the same steps.
 */
export async function userOfAuthorization(
  store: Store,
  tokens: TokenService,
  authorization: string | undefined,
): Promise<{ verified: VerifiedToken; user: User }> {
  const verified = await tokens.verify(tokenFromAuthorizationHeader(authorization), 'access');
  return { verified, user: await userOfToken(store, verified) };
}

/** Whether the request carries an X-API-Key header with anything in it. */
export const hasApiKey = (request: FastifyRequest): boolean => {
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() !== '' : Array.isArray(key);
};

const keyCannotDoThis = () =>
  jwtError(
    'Authorization Required',
    'An API key (X-API-Key) can only read the schedule; this request needs an access token (Authorization: Bearer …)',
    { 'www-authenticate': WWW_AUTHENTICATE },
  );

export const requireUserPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorateRequest('claims', null);
  app.decorateRequest('token', null);

  async function requireUser(request: FastifyRequest): Promise<void> {
    // An API key only reads: anything behind this guard (accounts, keys, feeds, writes) needs a login's token.
    if (!hasAuthorization(request) && hasApiKey(request)) throw keyCannotDoThis();
    const { verified, user } = await userOfAuthorization(app.store, app.tokens, request.headers.authorization);
    request.user = user;
    request.claims = verified.claims;
    request.token = verified;
  }

  app.decorate('requireUser', requireUser);
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    await requireUser(request);
    if (roleOf(request.user!) !== 'admin') {
      throw forbidden('This needs the admin role');
    }
  });
});
