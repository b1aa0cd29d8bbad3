// POST /auth (or JWT_AUTH_URL_RULE): the original's login, plus refresh and logout beside it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate } from '../../domain/authenticate.js';
import { createLoginThrottle, type LoginAttempt } from '../../domain/login-throttle.js';
import { issueTokenPair, logout, refreshSession } from '../../domain/sessions.js';
import { invalidCredentials, isKind } from '../../errors.js';
import { MAX_PASSWORD_BYTES, authRouteSchema, logoutRouteSchema, refreshRouteSchema } from '../schemas/auth.js';

const authConfig = { validationErrors: 'credentials', errorShape: 'jwt' } as const;

export const authRoutes: FastifyPluginAsyncTypebox<{ path: string }> = async (app, { path }) => {
  const throttle = createLoginThrottle({ store: app.store, limits: app.config.throttle });
  const sessions = { store: app.store, tokens: app.tokens };

  app.post(path, { schema: authRouteSchema, config: authConfig }, async (request) => {
    const { username, password } = request.body;
    const audit = { event: 'auth.login', username, ip: request.ip };
    let attempt: LoginAttempt;
    try {
      // Counted before the password is checked, so a burst of guesses cannot outrun the count.
      attempt = await throttle.attempt(username, request.ip);
    } catch (err) {
      const outcome = isKind(err, 'throttled') ? 'throttled' : 'unavailable';
      request.log.warn(
        { ...audit, outcome },
        outcome === 'throttled' ? 'login throttled' : 'login refused: throttle unavailable',
      );
      throw err;
    }
    let user: Awaited<ReturnType<typeof authenticate>>;
    try {
      if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) throw invalidCredentials();
      user = await authenticate(
        {
          store: app.store,
          hasher: app.passwords,
          upgradeLegacyPasswords: app.config.passwords.upgradeLegacy,
          onUpgrade: (name) => request.log.info({ username: name }, 'legacy plain-text password upgraded to Argon2id'),
        },
        username,
        password,
      );
      if (user.disabled) throw invalidCredentials();
    } catch (err) {
      if (isKind(err, 'unauthenticated')) {
        request.log.warn({ ...audit, outcome: 'failure' }, 'login failed');
        await attempt.failed();
      } else {
        await attempt
          .abandoned()
          .catch((cause: unknown) => request.log.error({ err: cause }, 'throttle slot not given back'));
      }
      throw err;
    }
    await attempt.succeeded();
    request.log.info({ ...audit, outcome: 'success' }, 'login succeeded');
    return issueTokenPair(sessions, user);
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
