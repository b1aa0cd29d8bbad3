import { Type } from 'typebox';
import { JwtErrorBody } from './errors.js';

export const MAX_USERNAME_LENGTH = 256;
export const MAX_PASSWORD_BYTES = 1024;

export const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH, examples: ['user01'] }),
    // A character bound here; the byte bound (1024) is checked before hashing.
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES, examples: ['password01'] }),
  },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({
  access_token: Type.String({ description: 'A JWT; send it as `Authorization: JWT <token>` (or `Bearer`)' }),
});

export const authRouteSchema = {
  tags: ['auth'],
  summary: 'Exchange a username and password for an access token',
  description:
    'Every credential failure (wrong password, unknown user, missing or empty field, other keys) gives the same 401.',
  body: Credentials,
  response: { 200: TokenResponse, 400: JwtErrorBody, 401: JwtErrorBody, 413: JwtErrorBody, 415: JwtErrorBody },
};
