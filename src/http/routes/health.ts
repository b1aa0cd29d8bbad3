// GET /healthz (liveness: the process answers) and GET /readyz (readiness: it can serve requests), without auth.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { KeyMaterial } from '../../auth/keyring.js';
import type { Readiness, Store } from '../../store/types.js';
import { healthRouteSchema, readyRouteSchema } from '../schemas/health.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set once the server was told to stop: /readyz fails from then on. */
    lifecycle: { draining: boolean };
  }
}

/** The store's answer, or `timeout` once the deadline has passed: /readyz never hangs. */
async function storeReadiness(store: Store, deadlineMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), deadlineMs);
  });
  try {
    return await Promise.race([
      store.ready(deadlineMs).catch((): Readiness => ({ ok: false, reason: 'unreadable' })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A probe must see the state now, never a cached one.
  const fresh = { httpCache: false } as const;
  app.get('/healthz', { schema: healthRouteSchema, logLevel: 'warn', config: fresh }, async () => ({
    status: 'ok' as const,
    uptime_s: Math.round(process.uptime()),
  }));

  app.get('/readyz', { schema: readyRouteSchema, logLevel: 'warn', config: fresh }, async (request, reply) => {
    const signing = app.keyring.signing() as KeyMaterial | null;
    const store = await storeReadiness(app.store, app.config.readyTimeoutMs);
    const checks = {
      shutdown: app.lifecycle.draining ? ('draining' as const) : ('ok' as const),
      keys: signing?.signingKey ? ('ok' as const) : ('no signing key' as const),
      store: store.ok ? ('ok' as const) : store.reason,
    };
    const failed = (Object.keys(checks) as Array<keyof typeof checks>).filter((name) => checks[name] !== 'ok');
    if (failed.length === 0) return { status: 'ready' as const, checks };
    request.log.warn({ failed, checks }, 'not ready');
    void reply.status(503);
    return { status: 'not ready' as const, failed, checks };
  });
};
