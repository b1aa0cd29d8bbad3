import { Type } from '../../schemas/typebox.js';
import { MAX_PASSWORD_BYTES } from '../../domain/users.js';
import { TokenPairSchema } from '../../schemas/session.js';
import { MAX_REFRESH_TOKEN_LENGTH, MAX_USERNAME_LENGTH } from '../../schemas/limits.js';
import { JwtErrorBody, described, refusals } from './errors.js';
import { bearerOrJwt } from './security.js';

export { MAX_PASSWORD_BYTES };

export const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH, examples: ['user01'] }),
    // A character bound here; the byte bound (MAX_PASSWORD_BYTES) is checked before hashing. No other rule: a login
    // takes any stored password, even the original app's.
    password: Type.String({
      minLength: 1,
      maxLength: MAX_PASSWORD_BYTES,
      description: `At most ${MAX_PASSWORD_BYTES} bytes`,
      examples: ['password01'],
    }),
  },
  { additionalProperties: false },
);

export const TokenPairResponse = TokenPairSchema;

const jwtRefusal = (description: string) => described(JwtErrorBody, description);
const credentialRefusals = {
  400: jwtRefusal('The body is not a JSON object'),
  401: jwtRefusal('Invalid credentials (every credential failure alike), or a bad, expired or reused refresh token'),
  ...refusals.body(JwtErrorBody),
  ...refusals.unavailable,
};

export const authRouteSchema = {
  tags: ['auth'],
  summary: 'Exchange a username and password for an access token (and a refresh token)',
  description:
    'Every credential failure (wrong password, unknown user, missing or empty field, other keys) gives the same 401. ' +
    'Repeated failures are throttled per account and per client address: 429 with Retry-After. ' +
    'When the store cannot count the attempt, 503 and the password is not checked (the throttle fails closed).',
  body: Credentials,
  response: {
    200: TokenPairResponse,
    ...credentialRefusals,
    429: {
      ...jwtRefusal('Too many failed logins for this account or from this address'),
      headers: { 'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' } },
    },
  },
};

export const refreshRouteSchema = {
  tags: ['auth'],
  summary: 'Exchange a refresh token for a new pair (rotation; a reused refresh token revokes its session)',
  // MAX_REFRESH_TOKEN_LENGTH characters: even escaped as \uXXXX pairs, an over-long token still fits the 64 KiB body limit and gets
  // the schema's 400/401 rather than a 413.
  body: Type.Object(
    { refresh_token: Type.String({ minLength: 1, maxLength: MAX_REFRESH_TOKEN_LENGTH }) },
    { additionalProperties: false },
  ),
  response: { 200: TokenPairResponse, ...credentialRefusals },
};

export const logoutRouteSchema = {
  tags: ['auth'],
  summary: 'Revoke the access token presented and its refresh chain',
  security: bearerOrJwt,
  response: {
    204: Type.Null(),
    ...refusals.badRequest,
    ...refusals.unauthenticated,
    ...refusals.body(JwtErrorBody),
    ...refusals.unavailable,
  },
};

export const jwksRouteSchema = {
  tags: ['auth'],
  summary: 'Public keys that verify our tokens (EdDSA/ES256 only; HMAC keys are never published)',
  response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
};
