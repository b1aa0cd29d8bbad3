// The web page's cookie session: POST/DELETE /api/v2/session, POST /api/v2/session/refresh.
import { Type } from '../../schemas/typebox.js';
import { Credentials } from './auth.js';
import { ProblemBody } from './v2.js';

export const SESSION_PATH = '/api/v2/session';
export const REFRESH_COOKIE = 'holodule_refresh';
export const CSRF_COOKIE = 'holodule_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemBody } },
});
const unavailable = { 503: problem('The store is unavailable') };
const cookieRefusals = {
  400: problem('The X-CSRF-Token header is over 128 characters'),
  401: problem('No session cookie, or its refresh token is invalid, expired, revoked or reused (then the login ends)'),
  403: problem('The X-CSRF-Token header is missing or is not the holodule_csrf cookie of this login'),
  ...unavailable,
};

export const SessionBody = Type.Object(
  {
    access_token: Type.String({ description: 'Keep it in memory; send it as `Authorization: Bearer <token>`' }),
    expires_in: Type.Integer({ description: "The access token's lifetime in seconds" }),
    user: Type.Object({
      username: Type.String({ examples: ['user01'] }),
      role: Type.Union([Type.Literal('admin'), Type.Literal('user')]),
    }),
  },
  {
    description:
      'Set-Cookie: holodule_refresh (HttpOnly, SameSite=Strict, Path=/api/v2/session; Secure over TLS) and ' +
      'holodule_csrf (readable by scripts, SameSite=Strict, Path=/): send its value as X-CSRF-Token',
  },
);

const csrfHeader = Type.Object({
  [CSRF_HEADER]: Type.Optional(
    Type.String({ maxLength: 128, description: 'The value of the holodule_csrf cookie (403 without it)' }),
  ),
});

export const createSessionSchema = {
  tags: ['session'],
  summary: 'Sign the web page in: an access token in the body, the refresh token in an HttpOnly cookie',
  description:
    'The same checks, throttle and audit log as POST /auth. Every credential failure gives the same 401; ' +
    'repeated failures 429 with Retry-After.',
  body: Credentials,
  response: {
    200: SessionBody,
    400: problem('The body is not a JSON object'),
    401: problem('Invalid credentials (every credential failure alike)'),
    429: {
      ...problem('Too many failed logins for this account or from this address'),
      headers: { 'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' } },
    },
    ...unavailable,
  },
};

export const refreshSessionSchema = {
  tags: ['session'],
  summary: 'Rotate the session cookie and get a new access token (the page calls it on load and before expiry)',
  description:
    'Needs the holodule_refresh cookie and the X-CSRF-Token header. A refresh cookie used a second time ends the ' +
    'login (as /auth/refresh does).',
  headers: csrfHeader,
  response: { 200: SessionBody, ...cookieRefusals },
};

export const deleteSessionSchema = {
  tags: ['session'],
  summary: 'Sign the web page out: the login is revoked and both cookies are cleared',
  headers: csrfHeader,
  response: { 204: Type.Null({ description: 'Signed out' }), ...cookieRefusals },
};
