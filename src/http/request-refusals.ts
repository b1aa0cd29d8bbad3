// Requests Fastify refuses before any route runs (bad URL, over-long parameter, a method the path does not
// serve, a body that is not UTF-8 JSON): answered in our shapes, never with Fastify's codes or the echoed URL.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, methodNotAllowed, notFound } from '../errors.js';

/** The longest path parameter the router accepts: a 256-character username, every character percent-encoded. */
export const MAX_PARAM_LENGTH = 256 * 12;

/** Fastify's `frameworkErrors`: the router's own refusals, before a request has a route. */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: err.code }, 'request refused by the router');
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply
    .status(tooLong ? 414 : 400)
    .header('x-request-id', request.id)
    .send(
      tooLong
        ? { error: 'URI Too Long', description: `A path segment is longer than ${MAX_PARAM_LENGTH} characters` }
        : { error: 'Bad request', description: 'The URL is not valid (bad percent-encoding)' },
    );
}

/** The methods each route pattern serves, so an unrouted request can be told apart: 405 (known path) or 404. */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    // A catch-all (a CORS preflight's `OPTIONS *`) says nothing about which paths exist.
    if (url === '*' || url === '/*') return;
    const pattern = patternOf(url);
    const methods = [route.method].flat().map((m) => m.toUpperCase());
    const known = routes.find((r) => r.pattern.source === pattern.source);
    if (known) for (const m of methods) known.methods.add(m);
    else routes.push({ pattern, methods: new Set(methods) });
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m);
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  };
}

/** `/users/:username/password` → `^/users/[^/]+/password$`; a `*` segment matches the rest. */
function patternOf(url: string): RegExp {
  const segments = url.split('/').map((segment) => {
    if (segment.startsWith(':')) return '[^/]+';
    if (segment === '*') return '.*';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}

/** No route for this method and path: 405 with `Allow` when the path is served by other methods, else 404. */
export function answerUnrouted(
  allowedMethods: (path: string) => string[],
  answer: (error: AppError, request: FastifyRequest, reply: FastifyReply) => void,
) {
  return (request: FastifyRequest, reply: FastifyReply): void => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = allowedMethods(path);
    if (allowed.length === 0) {
      answer(notFound(), request, reply);
      return;
    }
    request.log.info({ method: request.method, allowed }, 'method not allowed');
    answer(methodNotAllowed(allowed), request, reply);
  };
}

const JSON_CHARSETS = new Set(['utf-8', 'utf8']);

/**
 * JSON bodies are UTF-8 (RFC 8259): a body declared in another charset is refused with 415 rather than
 * misread as UTF-8. `text/plain` is not parsed at all, so only `application/json` reaches a route.
 */
export function acceptOnlyUtf8Json(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !JSON_CHARSETS.has(charset.toLowerCase())) {
      done(Object.assign(new Error(`unsupported charset ${charset}`), { statusCode: 415, code: UNSUPPORTED_CHARSET }));
      return;
    }
    parseJson(request, body as string, done);
  });
}

export const UNSUPPORTED_CHARSET = 'HOLODULE_UNSUPPORTED_CHARSET';
