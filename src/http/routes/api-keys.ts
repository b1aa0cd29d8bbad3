// Personal API keys: your own (/me/api-keys) and, for admins, anyone's (/users/{username}/api-keys).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createApiKey, listApiKeys, revokeApiKey } from '../../domain/api-keys.js';
import { notFound } from '../../errors.js';
import type { User } from '../../store/types.js';
import {
  createApiKeySchema,
  listApiKeysSchema,
  listUserApiKeysSchema,
  revokeApiKeySchema,
  revokeUserApiKeySchema,
} from '../schemas/subscriptions.js';

// Key lists must never be shown stale: a client may keep them, but revalidates each time (ETag → 304).
const revalidate = { httpCache: 'revalidate' } as const;

export const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const userNamed = async (username: string): Promise<User> => {
    const user = await app.store.users.findByUsername(username);
    if (user === null) throw notFound(`no user "${username}"`);
    return user;
  };

  app.post('/me/api-keys', { schema: createApiKeySchema, onRequest: app.requireUser }, async (request, reply) => {
    const key = await createApiKey(app.store, request.user!, request.body);
    request.log.info({ event: 'api_key.create', username: request.user!.username, id: key.id }, 'API key made');
    return reply.status(201).send(key);
  });

  app.get(
    '/me/api-keys',
    { schema: listApiKeysSchema, onRequest: app.requireUser, config: revalidate },
    async (request) => listApiKeys(app.store, request.user!),
  );

  app.delete('/me/api-keys/:id', { schema: revokeApiKeySchema, onRequest: app.requireUser }, async (request, reply) => {
    await revokeApiKey(app.store, request.user!, request.params.id);
    request.log.info(
      { event: 'api_key.revoke', username: request.user!.username, id: request.params.id },
      'API key revoked',
    );
    return reply.status(204).send(null);
  });

  app.get(
    '/users/:username/api-keys',
    { schema: listUserApiKeysSchema, onRequest: app.requireAdmin, config: revalidate },
    async (request) => listApiKeys(app.store, await userNamed(request.params.username)),
  );

  app.delete(
    '/users/:username/api-keys/:id',
    { schema: revokeUserApiKeySchema, onRequest: app.requireAdmin },
    async (request, reply) => {
      const { username, id } = request.params;
      await revokeApiKey(app.store, await userNamed(username), id);
      app.log.info({ event: 'api_key.revoke', actor: request.user!.username, username, id }, 'admin: api_key.revoke');
      return reply.status(204).send(null);
    },
  );
};
