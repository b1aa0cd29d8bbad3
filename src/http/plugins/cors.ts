// CORS for browser clients on other origins (HOLODULE_CORS_ORIGINS). Off by default: no CORS header at all.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

/** Request headers a browser client may send beyond the safelisted ones. */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'X-API-Key',
  'Content-Type',
  'If-None-Match',
  'If-Modified-Since',
  'X-Request-Id',
];

/** Response headers a browser client may read beyond the safelisted ones (Cache-Control, Last-Modified, …). */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Link',
  'Retry-After',
  'X-Request-Id',
  'WWW-Authenticate',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/** Whether answers carry CORS headers: HOLODULE_CORS_ORIGINS names some origins, or `*`. */
export const corsIsOn = (config: Config): boolean =>
  config.http.corsOrigins === '*' || config.http.corsOrigins.length > 0;

export const corsPlugin = fp(async (app: FastifyInstance) => {
  if (!corsIsOn(app.config)) return;
  const origins = app.config.http.corsOrigins;
  await app.register(cors, {
    // A list is matched exactly and the allowed origin echoed (with Vary: Origin); `*` answers `*` to all.
    origin: origins,
    // Tokens travel in the Authorization header, which needs no credentials mode: cookies are never invited.
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    // An OPTIONS without Origin is answered like a preflight, not with @fastify/cors's text/plain 400.
    strictPreflight: false,
  });
});
