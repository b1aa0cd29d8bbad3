// POST /auth (or JWT_AUTH_URL_RULE): the original's login.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate } from '../../domain/authenticate.js';
import { invalidCredentials } from '../../errors.js';
import { MAX_PASSWORD_BYTES, authRouteSchema } from '../schemas/auth.js';

export const authRoutes: FastifyPluginAsyncTypebox<{ path: string }> = async (app, { path }) => {
  app.post(path, { schema: authRouteSchema, config: { validationErrors: 'credentials', errorShape: 'jwt' } }, async (request) => {
    const { username, password } = request.body;
    if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) throw invalidCredentials();
    const user = await authenticate(
      {
        store: app.store,
        hasher: app.passwords,
        upgradeLegacyPasswords: app.config.passwords.upgradeLegacy,
        onUpgrade: (name) => request.log.info({ username: name }, 'legacy plain-text password upgraded to Argon2id'),
      },
      username,
      password,
    );
    request.log.info({ event: 'login', username: user.username }, 'login succeeded');
    return { access_token: app.tokens.issue(user.username) };
  });
};
