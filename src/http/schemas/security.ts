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
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'A personal API key (`hdk_…`, POST /me/api-keys): reads only (the day query and the v2 reads), as its user',
  },
} as const;

/** Either scheme will do. */
export const bearerOrJwt: Array<Record<string, string[]>> = [{ jwt: [] }, { bearer: [] }];

/** Read routes (requireReader): a token in either scheme, or an API key. */
export const tokenOrApiKey: Array<Record<string, string[]>> = [...bearerOrJwt, { apiKey: [] }];
