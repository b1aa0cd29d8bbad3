// HTTP caching for every successful GET (and HEAD): a strong ETag of the exact body bytes, 304 for a
// matching If-None-Match (or, on routes that set Last-Modified, an If-Modified-Since not older than it),
// and a Cache-Control that is safe with authentication. docs/http-caching-cors-public.md explains the rules.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false`: no ETag, no 304, no Cache-Control (probes, whose answer must always be fresh).
     * `revalidate`: `Cache-Control: private, no-cache` (a client may keep the answer but asks each time;
     * unchanged answers are a bodiless 304), for answers that must never be stale (user administration).
     */
    httpCache?: false | 'revalidate';
  }
  interface FastifyRequest {
    /** Set by requireReader: an anonymous read of a public deployment (its answer is the same for everyone). */
    anonymousRead: boolean;
    /** Set by requireReader: the answer depends on X-API-Key as it does on Authorization. */
    acceptsApiKey: boolean;
  }
}

/** A strong ETag of these exact bytes: 128 bits of SHA-256, so equal bodies get equal tags on every instance. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 §13.1.2: weak comparison, `*` matches any current representation. */
export function ifNoneMatchMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque;
  });
}

/** RFC 9110 §13.1.3: unchanged since the client's copy (HTTP dates have whole seconds). */
function notModifiedSince(header: string, lastModified: string): boolean {
  const since = Date.parse(header);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

/** Adds `field` to the reply's Vary header, keeping what others (CORS) put there. */
export function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields =
    current === undefined
      ? []
      : String(current)
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '');
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  void reply.header('vary', [...fields, field].join(', '));
}

/** Cache-Control of a successful read: `public` only for an anonymous read, whose answer is everyone's. */
export function cacheControlOf(scope: 'public' | 'private', revalidate: boolean, maxAgeSeconds: number): string {
  return revalidate || maxAgeSeconds === 0 ? `${scope}, no-cache` : `${scope}, max-age=${maxAgeSeconds}`;
}

function cacheControl(request: FastifyRequest, maxAgeSeconds: number): string {
  const scope = request.anonymousRead ? 'public' : 'private';
  return cacheControlOf(scope, request.routeOptions.config?.httpCache === 'revalidate', maxAgeSeconds);
}

export const httpCachePlugin = fp(async (app: FastifyInstance) => {
  const maxAgeSeconds = app.config.http.cacheMaxAgeSeconds;
  app.decorateRequest('anonymousRead', false);
  app.decorateRequest('acceptsApiKey', false);

  app.addHook('onSend', async (request, reply, payload) => {
    if (
      reply.statusCode !== 200 ||
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      request.routeOptions.config?.httpCache === false ||
      (typeof payload !== 'string' && !Buffer.isBuffer(payload))
    ) {
      return payload;
    }
    // A route that knows its body's tag already (the day query keeps one per version) saves the hashing.
    let etag = reply.getHeader('etag') as string | undefined;
    if (etag === undefined) {
      etag = etagOf(payload);
      void reply.header('etag', etag);
    }
    // A route with a Cache-Control of its own (the public JWKS) knows better.
    if (!reply.hasHeader('cache-control')) {
      void reply.header('cache-control', cacheControl(request, maxAgeSeconds));
      addVary(reply, 'Authorization');
      if (request.acceptsApiKey) addVary(reply, 'X-API-Key');
    }
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const lastModified = reply.getHeader('last-modified') as string | undefined;
    const unchanged =
      ifNoneMatch !== undefined
        ? ifNoneMatchMatches(ifNoneMatch, etag)
        : ifModifiedSince !== undefined &&
          lastModified !== undefined &&
          notModifiedSince(ifModifiedSince, lastModified);
    if (!unchanged) return payload;
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    reply.removeHeader('content-encoding');
    // HEAD: Fastify's own HEAD step measures the payload (the 200's length, which RFC 9110 allows on a
    // 304) and drops it; it cannot take null.
    return request.method === 'HEAD' ? payload : null;
  });
});
