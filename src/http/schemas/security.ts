// How a protected operation authenticates: `Authorization: JWT <token>` (the original) or `Bearer <token>`.
export const securitySchemes = {
  jwt: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'The original prefix: `Authorization: JWT <token>` (the prefix in any case)',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'RFC 6750: `Authorization: Bearer <token>`, the same access token',
  },
} as const;

/** Either scheme will do. */
export const bearerOrJwt: Array<Record<string, string[]>> = [{ jwt: [] }, { bearer: [] }];
