// User administration over HTTP (admin role), and a user's own account.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  addUser,
  changeOwnPassword,
  changePassword,
  getUser,
  listUsers,
  removeUser,
  setDisabled,
  setRole,
} from '../../domain/users.js';
import { conflict } from '../../errors.js';
import { userRouteSchemas } from '../schemas/users.js';

// Accounts must never be shown stale: a client may keep them, but revalidates each time (ETag → 304).
const revalidate = { httpCache: 'revalidate' } as const;

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ store: app.store, hasher: app.passwords, minPasswordLength: app.config.passwords.minLength });
  const schemas = userRouteSchemas(app.config.passwords.minLength);
  const audit = (event: string, actor: string, username: string) =>
    app.log.info({ event, actor, username }, `admin: ${event}`);

  app.get('/users', { schema: schemas.listUsers, onRequest: app.requireAdmin, config: revalidate }, async () =>
    listUsers(app.store),
  );

  app.post('/users', { schema: schemas.createUser, onRequest: app.requireAdmin }, async (request, reply) => {
    const { username, password, role } = request.body;
    const user = await addUser(deps(), username, password, role);
    audit('user.create', request.user!.username, username);
    return reply.status(201).send(user);
  });

  app.get(
    '/users/:username',
    { schema: schemas.getUser, onRequest: app.requireAdmin, config: revalidate },
    async (request) => getUser(app.store, request.params.username),
  );

  app.patch('/users/:username', { schema: schemas.updateUser, onRequest: app.requireAdmin }, async (request) => {
    const { username } = request.params;
    const { disabled, role } = request.body;
    if (username === request.user!.username && (disabled === true || role === 'user')) {
      throw conflict('you cannot disable or demote yourself');
    }
    if (role !== undefined) await setRole(app.store, username, role);
    if (disabled !== undefined) await setDisabled(app.store, username, disabled);
    audit(
      disabled === undefined ? 'user.role' : disabled ? 'user.disable' : 'user.enable',
      request.user!.username,
      username,
    );
    return getUser(app.store, username);
  });

  app.put(
    '/users/:username/password',
    { schema: schemas.resetPassword, onRequest: app.requireAdmin },
    async (request, reply) => {
      const { password, current_password } = request.body;
      // Your own password, even as an admin: a stolen session must not be enough to take the account over.
      if (request.params.username === request.user!.username) {
        await changeOwnPassword(deps(), request.user!, current_password, password);
      } else {
        await changePassword(deps(), request.params.username, password);
      }
      audit('user.password_reset', request.user!.username, request.params.username);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/users/:username',
    { schema: schemas.deleteUser, onRequest: app.requireAdmin },
    async (request, reply) => {
      if (request.params.username === request.user!.username) throw conflict('you cannot delete yourself');
      await removeUser(app.store, request.params.username);
      audit('user.delete', request.user!.username, request.params.username);
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { schema: schemas.me, onRequest: app.requireUser, config: revalidate }, async (request) =>
    getUser(app.store, request.user!.username),
  );

  app.put('/me/password', { schema: schemas.changeOwnPassword, onRequest: app.requireUser }, async (request, reply) => {
    await changeOwnPassword(deps(), request.user!, request.body.current_password, request.body.new_password);
    request.log.info({ event: 'user.password_change', username: request.user!.username }, 'password changed');
    return reply.status(204).send(null);
  });
};
