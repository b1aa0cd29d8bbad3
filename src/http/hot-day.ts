// The hot read, answered before Fastify. GET /holodules/<day> with a token is what clients send all day long, and
// Fastify's request cycle (request and reply objects, four hooks, promises) was most of its cost per request
// (docs/performance.md, "The hot path"). A request in the route's plain form gets here the bytes and headers the
// route sends; every other request goes to Fastify untouched. One that fails here goes to Fastify too, with its
// error, which the day route throws where it would have failed itself: errors are still answered in one place.
// test/http/hot-day.test.ts holds both paths to the same answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TokenService } from '../auth/tokens.js';
import { findDayAnswer } from '../domain/schedule.js';
import type { DayAnswer, DayEncoding } from '../store/day-answer.js';
import type { Store } from '../store/types.js';
import { contentCodingOf, tagOfEncoding } from './content-coding.js';
import { cacheControlOf } from './plugins/http-cache.js';
import { hasAuthorization, userOfAuthorization } from './plugins/require-user.js';
import { requestIdOf } from './request-id.js';
import { DAY_PATTERN } from './schemas/holodules.js';

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface HotDayDeps {
  store: Store;
  tokens: TokenService;
  cacheMaxAgeSeconds: number;
  /** Records one answered request's duration in seconds, as the metrics plugin does for the route's 200s. */
  observe: (seconds: number) => void;
}

const PREFIX = '/holodules/';
const PATH_LENGTH = PREFIX.length + 'YYYYMMDD'.length;
const DAY = new RegExp(DAY_PATTERN);
/** What the caching plugin (Authorization, X-API-Key) and the day route (Accept-Encoding) put in Vary, in order. */
const VARY = 'Authorization, X-API-Key, Accept-Encoding';

/**
 * A day read the hot path can answer: a GET of exactly /holodules/<valid day>, with a token, no body and no
 * condition (a conditional request, a key, a HEAD or an odd spelling of the path is Fastify's).
 */
function isHotRead(request: IncomingMessage): boolean {
  const { url, headers } = request;
  return (
    request.method === 'GET' &&
    url !== undefined &&
    url.length === PATH_LENGTH &&
    url.startsWith(PREFIX) &&
    hasAuthorization(request) &&
    headers['if-none-match'] === undefined &&
    headers['if-modified-since'] === undefined &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined &&
    DAY.test(url.slice(PREFIX.length))
  );
}

export class HotDay {
  #on = false;
  #answered = 0;
  readonly #failures = new WeakMap<IncomingMessage, { error: unknown }>();
  readonly #cacheControl: string;

  constructor(private readonly deps: HotDayDeps) {
    this.#cacheControl = cacheControlOf('private', false, deps.cacheMaxAgeSeconds);
  }

  /** From now on, day reads are answered here (only while every answer would be the same as Fastify's). */
  start(): void {
    this.#on = true;
  }

  /** From now on, every request goes to Fastify (which closes connections while the server closes). */
  stop(): void {
    this.#on = false;
  }

  /** How many requests were answered here. */
  get answered(): number {
    return this.#answered;
  }

  /** The error this request met on the hot path, for the day route to throw; undefined when it met none. */
  failureOf(request: IncomingMessage): { error: unknown } | undefined {
    return this.#failures.get(request);
  }

  /** Answers a hot day read, or hands the request to `next` (Fastify): as it came, or with the error it met. */
  handle(request: IncomingMessage, response: ServerResponse, next: RequestListener): void {
    if (!this.#on || !isHotRead(request)) {
      next(request, response);
      return;
    }
    const started = performance.now();
    this.#lookUp(request).then(
      (found) => {
        try {
          this.#send(request, response, found);
        } catch (error) {
          this.#handOver(request, response, next, error);
          return;
        }
        this.#answered++;
        this.deps.observe((performance.now() - started) / 1000);
      },
      (error: unknown) => this.#handOver(request, response, next, error),
    );
  }

  /** To Fastify with the error met here; an answer already begun can only be cut off. */
  #handOver(request: IncomingMessage, response: ServerResponse, next: RequestListener, error: unknown): void {
    if (response.headersSent) {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#failures.set(request, { error });
    next(request, response);
  }

  #send(
    request: IncomingMessage,
    response: ServerResponse,
    { answer, encoding }: { answer: DayAnswer; encoding: DayEncoding },
  ): void {
    const common = [
      'content-type',
      'application/json; charset=utf-8',
      'etag',
      tagOfEncoding(answer.tag, encoding),
      'x-request-id',
      requestIdOf(request),
      'cache-control',
      this.#cacheControl,
      'vary',
      VARY,
      'content-length',
      String(answer.body.length),
    ];
    response.writeHead(200, encoding === 'identity' ? common : ['content-encoding', encoding, ...common]);
    response.end(answer.body);
  }

  /** The same steps as the day route's guard (requireReader → requireUser) and handler, in the same order. */
  async #lookUp(request: IncomingMessage): Promise<{ answer: DayAnswer; encoding: DayEncoding }> {
    const { store, tokens } = this.deps;
    const { headers } = request;
    store.beginRequest();
    await userOfAuthorization(store, tokens, headers.authorization);
    const encoding = contentCodingOf(headers['accept-encoding']);
    return { answer: await findDayAnswer(store, (request.url ?? '').slice(PREFIX.length), encoding), encoding };
  }
}

/** Fastify's own HTTP/1 server (lib/server.js) with `listener` in front of its handler: the same timeouts. */
export function createHttpServer(options: Record<string, unknown>, listener: RequestListener): Server {
  const server = createServer((options.http as object | undefined) ?? {}, listener);
  server.keepAliveTimeout = options.keepAliveTimeout as number;
  server.requestTimeout = options.requestTimeout as number;
  server.setTimeout(options.connectionTimeout as number);
  const maxRequestsPerSocket = options.maxRequestsPerSocket as number | undefined;
  if (maxRequestsPerSocket !== undefined && maxRequestsPerSocket > 0)
    server.maxRequestsPerSocket = maxRequestsPerSocket;
  return server;
}
