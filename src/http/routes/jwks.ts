// GET /.well-known/jwks.json: the public keys (EdDSA/ES256), so other services can verify our tokens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { jwksRouteSchema } from '../schemas/auth.js';

export const jwksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/.well-known/jwks.json', { schema: jwksRouteSchema }, async (_request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    return { keys: app.keyring.jwks() };
  });
};
