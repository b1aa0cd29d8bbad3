// Builds the Fastify app: external plugins first, then ours, then routes. server.ts starts it.
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { PasswordHasher } from '../auth/passwords.js';
import type { Keyring } from '../auth/keyring.js';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import type { Store } from '../store/types.js';
import { handleError } from './error-handler.js';
import { metricsPlugin } from './plugins/metrics.js';
import { requireUserPlugin } from './plugins/require-user.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { holoduleRoutes } from './routes/holodules.js';
import { jwksRoutes } from './routes/jwks.js';
import { userRoutes } from './routes/users.js';
import { JwtErrorBody, PlainErrorBody } from './schemas/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    passwords: PasswordHasher;
    tokens: TokenService;
    keyring: Keyring;
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

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
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

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const loggerOption =
    deps.logger !== undefined && typeof deps.logger === 'object' && 'child' in deps.logger
      ? { loggerInstance: deps.logger as FastifyBaseLogger }
      : { logger: deps.logger ?? false };
  const app = Fastify({
    ...loggerOption,
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    // A client's request id is kept when it is sane, so logs join up across a proxy; otherwise we make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    ...(deps.oneLinePerRequest ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('store', deps.store);
  app.decorate('passwords', deps.passwords);
  app.decorate('tokens', deps.tokens);
  app.decorate('keyring', deps.keyring);

  app.addSchema(JwtErrorBody);
  app.addSchema(PlainErrorBody);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    request.log.info({ url: request.url }, 'no such route');
    void reply.status(404).send({ error: 'Not found' });
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  if (deps.oneLinePerRequest) {
    app.addHook('onResponse', async (request, reply) => {
      const line = `${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`;
      if (reply.statusCode >= 500) request.log.error(line);
      else request.log.info(line);
    });
  }

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'holodule',
        version: '0.1.0',
        description: "The hololive stream schedule, wire-compatible with the original Flask app's API.",
      },
      components: {
        securitySchemes: {
          jwt: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: '`JWT <token>` (the original) or `Bearer <token>`',
          },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'HOLODULE_METRICS_TOKEN' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(metricsPlugin, { metrics: deps.metrics ?? createMetrics(), token: config.metrics.token });
  await app.register(requireUserPlugin);
  await app.register(authRoutes, { path: config.jwt.authUrlRule });
  await app.register(holoduleRoutes);
  await app.register(userRoutes);
  await app.register(jwksRoutes);
  await app.register(healthRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
