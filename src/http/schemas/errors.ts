// The contract's error bodies, as schemas for the OpenAPI document.
import { Type } from '../../schemas/typebox.js';

export const JwtErrorBody = Type.Object(
  {
    status_code: Type.Integer({ examples: [401] }),
    error: Type.String({ examples: ['Invalid token'] }),
    description: Type.String({ examples: ['Signature has expired'] }),
  },
  { $id: 'JwtError', description: "Flask-JWT's error shape: auth failures and protected requests" },
);

export const PlainErrorBody = Type.Object(
  {
    error: Type.String({ examples: ['Not found'] }),
    description: Type.Optional(Type.String()),
  },
  { $id: 'PlainError', description: "Flask's error shape: 400, 404, 500, 503" },
);

/** 304: the client's copy (its If-None-Match) is current; no body. */
export const NotModified = Type.Null({ description: 'Not modified: the copy named by If-None-Match is current' });
/** A copy with the response's own description (and no $id, so copies do not clash). */
export function described<T extends object>(schema: T, description: string): T {
  const { $id: _id, ...rest } = schema as T & { $id?: string };
  return { ...rest, description } as T;
}

/** The refusals a route can answer, by status; each route picks the ones that can happen to it. */
export const refusals = {
  badRequest: { 400: described(PlainErrorBody, 'The URL or a parameter is not valid') },
  unauthenticated: {
    401: described(JwtErrorBody, 'No, malformed, expired or revoked token, or its user is gone or disabled'),
  },
  forbidden: { 403: described(JwtErrorBody, 'The token is valid but its user is not an admin') },
  notFound: { 404: described(PlainErrorBody, 'No such user or day') },
  conflict: { 409: described(PlainErrorBody, 'The username is taken, or an admin acting on themself') },
  /** Body routes: too large, not application/json, not UTF-8. */
  body: (shape: typeof PlainErrorBody | typeof JwtErrorBody) => ({
    413: described(shape, 'The body is over 64 KiB'),
    415: described(shape, 'Content-Type is not application/json, or declares a charset other than UTF-8'),
  }),
  unavailable: { 503: described(PlainErrorBody, 'The store is unreachable or failing; try again later') },
};
