// The web page, served by the API's own server: page paths (path-rule.ts) answer the built index.html (the
// single-page app routes on the client), /assets/ the hashed files, precompressed and cached for a year. An
// unknown path a browser asks for (Accept: text/html) answers 404 with the same shell, which shows "not found".
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ASSETS_PREFIX, FAVICON_PATH, PAGE_ROUTES, isApiPath } from '../path-rule.js';
import { addVary } from './http-cache.js';

/** The contract's CSP: nothing inline, nothing from elsewhere but YouTube's images. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https://i.ytimg.com https://img.youtube.com https://yt3.ggpht.com https://yt3.googleusercontent.com",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The shapes a page path's parameters take; another value is no page (404). */
const PARAM_SHAPES: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  code: /^[A-Za-z0-9]{2,16}$/,
};

/** dist/web in the package this file belongs to. */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The best of br, gzip and none the client accepts (RFC 9110 §12.5.3; q=0 refuses). */
export function chooseEncoding(header: string | undefined, available: ReadonlySet<Encoding>): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  for (const encoding of ['br', 'gzip'] as const) if (available.has(encoding) && weight(encoding) > 0) return encoding;
  return 'identity';
}

interface Shell {
  mtimeMs: number;
  bodies: Map<Encoding, Buffer>;
}

/** index.html and its .br/.gz siblings, read again when the build changes; null while there is none. */
function shellReader(root: string): () => Shell | null {
  const path = join(root, 'index.html');
  let current: Shell | null = null;
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      current = null;
      return null;
    }
    if (current?.mtimeMs === mtimeMs) return current;
    const bodies = new Map<Encoding, Buffer>([['identity', readFileSync(path)]]);
    for (const [encoding, suffix] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (existsSync(path + suffix)) bodies.set(encoding, readFileSync(path + suffix));
    }
    current = { mtimeMs, bodies };
    return current;
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page holodule answers while there is no build: plain HTML, no script, no style. */
const fallbackPage = (title: string, text: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · holodule</title></head>` +
  `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/">holodule</a> · <a href="/docs">API documentation</a></p></body></html>\n`;

export interface WebPage {
  /**
   * Answers a GET or HEAD of a path outside the API's space that no page or file answers: the HTML 404 page
   * for a browser (Accept: text/html), else `answerJson` (the contract's 404). False: not such a request.
   */
  answerNotFound(
    request: FastifyRequest,
    reply: FastifyReply,
    answerJson: (request: FastifyRequest, reply: FastifyReply) => void,
  ): boolean;
}

export async function registerWebPage(app: FastifyInstance, root: string): Promise<WebPage> {
  const readShell = shellReader(root);
  if (readShell() === null) {
    app.log.warn({ root }, 'the web page is not built (no index.html): page paths answer 503 until it is');
  }

  function sendShell(request: FastifyRequest, reply: FastifyReply, status: 200 | 404): FastifyReply {
    const shell = readShell();
    void reply.status(shell === null && status === 200 ? 503 : status).headers(PAGE_HEADERS);
    void reply.type('text/html; charset=utf-8');
    if (shell === null) {
      void reply.header('cache-control', 'no-store');
      return status === 404
        ? reply.send(fallbackPage('Not found', 'There is no page at this address.'))
        : reply.send(
            fallbackPage(
              'The web page is not built',
              `This server has no built web page at ${root}. Build it with npm run build (or point ` +
                'HOLODULE_WEB_ROOT at a build). The API works without it.',
            ),
          );
    }
    const encoding = chooseEncoding(request.headers['accept-encoding'], new Set(shell.bodies.keys()));
    void reply.header('cache-control', 'no-cache');
    addVary(reply, 'Accept-Encoding');
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    return reply.send(shell.bodies.get(encoding)!);
  }

  const page = { schema: { hide: true } } as const;
  for (const route of PAGE_ROUTES) {
    app.get(route, page, async (request, reply) => {
      const params = request.params as Record<string, string>;
      const fits = Object.entries(params).every(([name, value]) => PARAM_SHAPES[name]?.test(value) ?? false);
      return fits ? sendShell(request, reply, 200) : reply.callNotFound();
    });
  }

  app.get(FAVICON_PATH, page, async (_request, reply) => {
    let icon: Buffer;
    try {
      icon = readFileSync(join(root, FAVICON_PATH));
    } catch {
      return reply.callNotFound();
    }
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(icon);
  });

  // Hashed names never change content: cached for a year; the .br/.gz sibling by Accept-Encoding.
  await app.register(async (assets) => {
    await assets.register(fastifyStatic, {
      root: join(root, ASSETS_PREFIX),
      prefix: ASSETS_PREFIX,
      preCompressed: true,
      decorateReply: false,
      schemaHide: true,
      index: false,
      dotfiles: 'deny',
      cacheControl: true,
      maxAge: 365 * 24 * 60 * 60 * 1000,
      immutable: true,
      suppressWarning: true,
      setHeaders: (reply: FastifyReply) => {
        void reply.header('x-content-type-options', 'nosniff');
      },
    });
  });

  return {
    answerNotFound(request, reply, answerJson) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = request.url.split('?', 1)[0] ?? '/';
      if (isApiPath(path, app.config.jwt.authUrlRule)) return false;
      // Never a 405 here: GET is all a page or a file answers, so a page path that fits no page is simply not found.
      if ((request.headers.accept ?? '').toLowerCase().includes('text/html')) sendShell(request, reply, 404);
      else answerJson(request, reply);
      return true;
    },
  };
}
