// HTTP metrics for every request (route templates, never raw URLs) and GET /metrics behind a bearer token.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { bearerMatches } from '../../metrics/metrics-listener.js';
import { loginOutcome, type Metrics, UNMATCHED_ROUTE } from '../../metrics/metrics.js';
import { metricsRouteSchema } from '../schemas/metrics.js';
import { SESSION_PATH } from '../schemas/session.js';

export interface MetricsPluginOptions {
  metrics: Metrics;
  token: string | undefined;
}

export const metricsPlugin = fp(
  async (app: FastifyInstance, { metrics, token }: MetricsPluginOptions) => {
    const loginRoute = app.config.jwt.authUrlRule;
    app.addHook('onResponse', async (request, reply) => {
      // A request no route matched has no template: all of them share one series.
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const status = reply.statusCode;
      metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
      if (status === 429) metrics.throttleHits.inc({ route });
      if ((route === loginRoute || route === SESSION_PATH) && request.method === 'POST')
        metrics.logins.inc({ outcome: loginOutcome(status) });
    });

    // No token, no endpoint: metrics are never public by accident.
    if (token === undefined) return;
    app.get('/metrics', { schema: metricsRouteSchema, logLevel: 'warn' }, async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').send({
          error: 'Unauthorized',
          description: 'GET /metrics needs Authorization: Bearer <HOLODULE_METRICS_TOKEN>',
        });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  },
  { name: 'holodule-metrics' },
);
