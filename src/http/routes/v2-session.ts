// The web page's sign-in: POST /api/v2/session, POST /api/v2/session/refresh, DELETE /api/v2/session.
// The refresh token lives in an HttpOnly cookie scoped to these paths; the page keeps the access token in memory.
// Cookie-authenticated requests carry X-CSRF-Token, the value of the script-readable CSRF cookie (signed
// double-submit, src/auth/csrf.ts). docs/web.md tells the flow.
import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createCsrfTokens } from '../../auth/csrf.js';
import type { VerifiedToken } from '../../auth/tokens.js';
import { endLogin, refreshLogin, roleOf } from '../../domain/sessions.js';
import type { Login } from '../../domain/login.js';
import { forbidden, jwtError } from '../../errors.js';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  REFRESH_COOKIE,
  SESSION_PATH,
  createSessionSchema,
  deleteSessionSchema,
  refreshSessionSchema,
} from '../schemas/session.js';

const noSession = () =>
  jwtError('Authorization Required', `No session cookie (${REFRESH_COOKIE}): sign in with POST ${SESSION_PATH}`);
const badCsrf = () =>
  forbidden(`The ${CSRF_HEADER} header must carry the value of the ${CSRF_COOKIE} cookie of this sign-in`);

export const v2SessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Registered here, so cookies are parsed for these routes only.
  await app.register(cookie, { hook: 'onRequest' });
  const csrf = createCsrfTokens(app.keyring);
  const sessions = { store: app.store, tokens: app.tokens };
  const maxAge = app.config.jwt.refreshExpirationSeconds;

  function setSessionCookies(request: FastifyRequest, reply: FastifyReply, refreshToken: string, family: string) {
    const secure = request.protocol === 'https';
    void reply.setCookie(REFRESH_COOKIE, refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      path: SESSION_PATH,
      maxAge,
      secure,
    });
    // Readable by the page's scripts (that is the point): it is no credential without the refresh cookie.
    void reply.setCookie(CSRF_COOKIE, csrf.issue(refreshToken, family), {
      sameSite: 'strict',
      path: '/',
      maxAge,
      secure,
    });
  }

  function clearSessionCookies(request: FastifyRequest, reply: FastifyReply) {
    const secure = request.protocol === 'https';
    void reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: SESSION_PATH, secure });
    void reply.clearCookie(CSRF_COOKIE, { sameSite: 'strict', path: '/', secure });
  }

  const answer = (request: FastifyRequest, reply: FastifyReply, { user, family, pair }: Login) => {
    setSessionCookies(request, reply, pair.refresh_token, family);
    return {
      access_token: pair.access_token,
      expires_in: pair.expires_in,
      user: { username: user.username, role: roleOf(user) },
    };
  };

  /** The session cookie's refresh token, verified, with its CSRF header checked; a cookie that fails is cleared. */
  async function cookieSession(request: FastifyRequest, reply: FastifyReply): Promise<VerifiedToken> {
    const refreshToken = request.cookies[REFRESH_COOKIE];
    if (refreshToken === undefined || refreshToken === '') throw noSession();
    let token: VerifiedToken;
    try {
      token = await app.tokens.verify(refreshToken, 'refresh');
    } catch (err) {
      clearSessionCookies(request, reply);
      throw err;
    }
    const presented = request.headers[CSRF_HEADER];
    const family = token.claims.fam!;
    if (!csrf.matches(refreshToken, family, typeof presented === 'string' ? presented : undefined)) {
      request.log.warn(
        { event: 'session.csrf', username: token.claims.identity },
        'session request without its CSRF token',
      );
      throw badCsrf();
    }
    return token;
  }

  app.post(
    SESSION_PATH,
    { schema: createSessionSchema, config: { validationErrors: 'credentials', errorShape: 'jwt' } },
    async (request, reply) => answer(request, reply, await app.logins.logIn(request.body, request.ip, request.log)),
  );

  app.post(`${SESSION_PATH}/refresh`, { schema: refreshSessionSchema }, async (request, reply) => {
    const token = await cookieSession(request, reply);
    try {
      return answer(request, reply, await refreshLogin(sessions, token));
    } catch (err) {
      clearSessionCookies(request, reply);
      throw err;
    }
  });

  app.delete(SESSION_PATH, { schema: deleteSessionSchema }, async (request, reply) => {
    const token = await cookieSession(request, reply);
    await endLogin(sessions, token.claims.fam!);
    request.log.info({ event: 'auth.logout', username: token.claims.identity }, 'signed out');
    clearSessionCookies(request, reply);
    return reply.status(204).send(null);
  });
};
