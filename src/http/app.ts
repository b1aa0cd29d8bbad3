// Builds the Fastify app: external plugins first, then ours, then routes. server.ts starts it.
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { PasswordHasher } from '../auth/passwords.js';
import type { Keyring } from '../auth/keyring.js';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { ScheduleDeps } from '../domain/schedule-v2.js';
import { AnswerMemo } from '../domain/answer-memo.js';
import { createLogins, type Logins } from '../domain/login.js';
import { CursorCodec } from '../domain/stream-cursor.js';
import { TalentCatalog } from '../domain/talent-catalog.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { Store } from '../store/types.js';
import { notFound } from '../errors.js';
import { handleError } from './error-handler.js';
import { createHttpServer, HotDay } from './hot-day.js';
import { lazyCompilersFactory } from './lazy-compilers.js';
import { loggableUrl, writesInfo } from './logger.js';
import { requestIdOf } from './request-id.js';
import { corsIsOn, corsPlugin } from './plugins/cors.js';
import { httpCachePlugin } from './plugins/http-cache.js';
import { metricsPlugin } from './plugins/metrics.js';
import { requireReaderPlugin } from './plugins/require-reader.js';
import { requireUserPlugin } from './plugins/require-user.js';
import { defaultWebRoot, registerWebPage } from './plugins/web-page.js';
import { apiRouteProblem } from './path-rule.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { DAY_ROUTE, holoduleRoutes } from './routes/holodules.js';
import { jwksRoutes } from './routes/jwks.js';
import { userRoutes } from './routes/users.js';
import { v2EventRoutes } from './routes/v2-events.js';
import { v2FavouriteRoutes } from './routes/v2-favourites.js';
import { v2SessionRoutes } from './routes/v2-session.js';
import { v2StreamRoutes } from './routes/v2-streams.js';
import { v2TalentRoutes } from './routes/v2-talents.js';
import {
  MAX_PARAM_LENGTH,
  acceptOnlyUtf8Json,
  answerFrameworkError,
  answerUnrouted,
  trackRouteMethods,
} from './request-refusals.js';
import { JwtErrorBody, PlainErrorBody } from './schemas/errors.js';
import { securitySchemes } from './schemas/security.js';
import { ProblemBody } from './schemas/v2.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    passwords: PasswordHasher;
    tokens: TokenService;
    keyring: Keyring;
    /** What the v2 routes read through: the store, the talent directory, the cursor codec. */
    schedule: ScheduleDeps;
    /** Every API route (method and pattern) registered: all of them keep to src/http/path-rule.ts. */
    apiRoutes: ReadonlyArray<{ method: string; url: string }>;
    /** Username-and-password logins (POST /auth and POST /api/v2/session), with their one throttle. */
    logins: Logins;
    /** The hot day read in front of Fastify (hot-day.ts). */
    hotDay: HotDay;
  }
}

export interface AppDeps {
  config: Config;
  store: Store;
  passwords: PasswordHasher;
  tokens: TokenService;
  keyring: Keyring;
  /** Where the HTTP metrics go (default: a registry of its own); GET /metrics needs config.metrics.token. */
  metrics?: Metrics;
  /** One log line per request (method, URL, status, time) instead of Fastify's two: for people reading. */
  oneLinePerRequest?: boolean;
  /** A pino logger, or logger options; `false` for none. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}

const BODY_LIMIT_BYTES = 64 * 1024;

/** Requests Node's HTTP parser refuses before Fastify sees them (oversized headers, garbage): our body shape. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return;
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(
    tooLarge
      ? { error: 'Request Header Fields Too Large', description: 'The request headers are larger than 16 KiB' }
      : { error: 'Bad request', description: 'The request is not valid HTTP' },
  );
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The key that makes v2 cursors tamper-evident, the same on every instance that shares the JWT secret. Without
 * one (keys generated or in the store) the MAC still catches damaged or edited cursors, not a determined forger,
 * which gains nothing: a cursor only says where the next page of the client's own query starts.
 */
const cursorKey = (config: Config): Buffer =>
  createHash('sha256')
    .update(`holodule v2 cursor\0${config.jwt.secret ?? ''}`)
    .digest();

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const loggerOption =
    deps.logger !== undefined && typeof deps.logger === 'object' && 'child' in deps.logger
      ? { loggerInstance: deps.logger as FastifyBaseLogger }
      : { logger: deps.logger ?? false };
  const metrics = deps.metrics ?? createMetrics();
  const dayAnswered = metrics.httpDuration.labels({ method: 'GET', route: DAY_ROUTE, status: '200' });
  const hotDay = new HotDay({
    store: deps.store,
    tokens: deps.tokens,
    cacheMaxAgeSeconds: config.http.cacheMaxAgeSeconds,
    observe: (seconds) => dayAnswered.observe(seconds),
  });
  const app = Fastify({
    ...loggerOption,
    serverFactory: (handler, options) =>
      createHttpServer(options, (request, response) => hotDay.handle(request, response, handler)),
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: requestIdOf,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: lazyCompilersFactory() as never },
    // While closing, requests already on a connection are served (with Connection: close) and /readyz says draining.
    return503OnClosing: false,
    ...(deps.oneLinePerRequest ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('store', deps.store);
  app.decorate('passwords', deps.passwords);
  app.decorate('tokens', deps.tokens);
  app.decorate('keyring', deps.keyring);
  app.decorate('schedule', {
    store: deps.store,
    talents: new TalentCatalog(deps.store),
    cursors: new CursorCodec(cursorKey(config)),
    answers: new AnswerMemo(),
  });
  app.decorate(
    'logins',
    createLogins({
      store: deps.store,
      hasher: deps.passwords,
      tokens: deps.tokens,
      throttle: config.throttle,
      upgradeLegacyPasswords: config.passwords.upgradeLegacy,
    }),
  );
  app.decorate('lifecycle', { draining: false });
  app.decorate('hotDay', hotDay);

  // Each request's reads see every write committed before it arrived, on any instance (Store.beginRequest).
  app.addHook('onRequest', (_request, _reply, done) => {
    deps.store.beginRequest();
    done();
  });
  app.addSchema(JwtErrorBody);
  app.addSchema(PlainErrorBody);
  app.addSchema(ProblemBody);
  acceptOnlyUtf8Json(app);
  const unroutedApi = answerUnrouted(trackRouteMethods(app), handleError);
  const answerNotFound = (request: FastifyRequest, reply: FastifyReply) => handleError(notFound(), request, reply);
  const webPage = await registerWebPage(app, config.webRoot ?? defaultWebRoot());
  // The path rule (path-rule.ts), for every route registered from here on (the page's are registered above):
  // an API route that could shadow a web page stops the start, with its name.
  const apiRoutes: Array<{ method: string; url: string }> = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    // A catch-all (a CORS preflight's `OPTIONS *`) is no path of its own.
    if (url === '*' || url === '/*') return;
    const problem = apiRouteProblem(url, config.jwt.authUrlRule);
    if (problem !== null) throw new Error(problem);
    for (const method of [route.method].flat()) apiRoutes.push({ method: String(method), url });
  });
  // A browser's unknown page is the HTML 404 page; everything else keeps the contract's JSON 404 (or 405).
  const unrouted = (request: FastifyRequest, reply: FastifyReply): void => {
    if (!webPage.answerNotFound(request, reply, answerNotFound)) unroutedApi(request, reply);
  };
  // A request without a route can still fail before the not-found handler (a QUERY without a body type):
  // whatever failed, the answer is the path's 404 or 405.
  app.setErrorHandler((err: FastifyError, request, reply) =>
    request.is404 ? unrouted(request, reply) : handleError(err, request, reply),
  );
  app.setNotFoundHandler(unrouted);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  if (deps.oneLinePerRequest) {
    app.addHook('onResponse', async (request, reply) => {
      const line = `${request.method} ${loggableUrl(request.url)} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`;
      if (reply.statusCode >= 500) request.log.error(line);
      else request.log.info(line);
    });
  }

  await app.register(corsPlugin);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'holodule',
        version: '0.1.0',
        description:
          "The hololive stream schedule, wire-compatible with the original Flask app's API. On any path: an " +
          'unknown path is `404 {"error": "Not found"}`; a method the path does not serve is `405` with `Allow`; ' +
          'bad percent-encoding in the URL is `400`. Every answer carries `x-request-id`.',
      },
      components: {
        securitySchemes: {
          ...securitySchemes,
          metricsToken: { type: 'http', scheme: 'bearer', description: 'HOLODULE_METRICS_TOKEN' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(metricsPlugin, { metrics, token: config.metrics.token });
  await app.register(requireUserPlugin);
  await app.register(requireReaderPlugin);
  await app.register(httpCachePlugin);
  await app.register(authRoutes, { path: config.jwt.authUrlRule });
  await app.register(holoduleRoutes, { hotDay });
  await app.register(userRoutes);
  await app.register(jwksRoutes);
  await app.register(healthRoutes);
  await app.register(v2StreamRoutes);
  await app.register(v2TalentRoutes);
  await app.register(v2FavouriteRoutes);
  await app.register(v2SessionRoutes);
  await app.register(v2EventRoutes, { clients: metrics.sseClients });
  await app.register(apiKeyRoutes);
  await app.register(feedRoutes);
  // The hot path answers what Fastify would answer the same way: not while a request's answer depends on CORS or
  // writes access log lines, and not while closing (Fastify then closes each connection after its answer).
  if (!corsIsOn(config) && !writesInfo(app.log)) {
    app.addHook('onReady', async () => hotDay.start());
    app.addHook('preClose', async () => hotDay.stop());
  }
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
