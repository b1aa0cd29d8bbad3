// The contract's error bodies, as schemas for the OpenAPI document.
import { Type } from 'typebox';

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
