import { Type } from 'typebox';
import { MAX_PASSWORD_BYTES, MAX_USERNAME_LENGTH } from '../../domain/users.js';
import { JwtErrorBody, PlainErrorBody } from './errors.js';

export { MAX_PASSWORD_BYTES, MAX_USERNAME_LENGTH };

export const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH, examples: ['user01'] }),
    // A character bound here; the byte bound (1024) is checked before hashing.
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES, examples: ['password01'] }),
  },
  { additionalProperties: false },
);

export const TokenPairResponse = Type.Object({
  access_token: Type.String({ description: 'A JWT; send it as `Authorization: JWT <token>` (or `Bearer`)' }),
  refresh_token: Type.String({ description: 'Exchange it at /auth/refresh for a new pair; single use' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: "The access token's lifetime in seconds" }),
});

const authErrors = { 400: JwtErrorBody, 401: JwtErrorBody, 413: JwtErrorBody, 415: JwtErrorBody, 429: JwtErrorBody };

export const authRouteSchema = {
  tags: ['auth'],
  summary: 'Exchange a username and password for an access token (and a refresh token)',
  description:
    'Every credential failure (wrong password, unknown user, missing or empty field, other keys) gives the same 401. ' +
    'Repeated failures are throttled per account and per client address: 429 with Retry-After. ' +
    'When the store cannot count the attempt, 503 and the password is not checked (the throttle fails closed).',
  body: Credentials,
  response: { 200: TokenPairResponse, ...authErrors, 503: PlainErrorBody },
};

export const refreshRouteSchema = {
  tags: ['auth'],
  summary: 'Exchange a refresh token for a new pair (rotation; a reused refresh token revokes its session)',
  body: Type.Object({ refresh_token: Type.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: false }),
  response: { 200: TokenPairResponse, ...authErrors },
};

export const logoutRouteSchema = {
  tags: ['auth'],
  summary: 'Revoke the access token presented and its refresh chain',
  security: [{ jwt: [] }],
  response: { 204: Type.Null(), 401: JwtErrorBody },
};

export const jwksRouteSchema = {
  tags: ['auth'],
  summary: 'Public keys that verify our tokens (EdDSA/ES256 only; HMAC keys are never published)',
  response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
};
