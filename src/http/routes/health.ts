// GET /healthz: liveness plus the database's state, without auth (for load balancers and probes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { healthRouteSchema } from '../schemas/health.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A probe must see the state now, never a cached one.
  const fresh = { httpCache: false } as const;
  app.get('/healthz', { schema: healthRouteSchema, logLevel: 'warn', config: fresh }, async (_request, reply) => {
    const health = await app.store.health();
    const store =
      health.detail === undefined
        ? { kind: health.store, ok: health.ok }
        : { kind: health.store, ok: health.ok, detail: health.detail };
    void reply.status(health.ok ? 200 : 503);
    return {
      status: health.ok ? ('ok' as const) : ('degraded' as const),
      store,
      uptime_s: Math.round(process.uptime()),
    };
  });
};
