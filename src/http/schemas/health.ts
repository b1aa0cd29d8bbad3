import { Type } from '../../schemas/typebox.js';

export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  uptime_s: Type.Number(),
});

export const healthRouteSchema = {
  tags: ['ops'],
  summary: 'Liveness: the process answers (no auth, touches no database; see /readyz for readiness)',
  response: { 200: HealthResponse },
};

export const ReadyChecks = Type.Object({
  shutdown: Type.Union([Type.Literal('ok'), Type.Literal('draining')], {
    description: '`draining` from the moment the server was told to stop (SIGTERM)',
  }),
  keys: Type.Union([Type.Literal('ok'), Type.Literal('no signing key')]),
  store: Type.Union(
    [
      Type.Literal('ok'),
      Type.Literal('missing'),
      Type.Literal('read-only'),
      Type.Literal('locked'),
      Type.Literal('disk-full'),
      Type.Literal('unreadable'),
      Type.Literal('unreachable'),
      Type.Literal('timeout'),
    ],
    {
      description:
        'SQLite: a read, a write lock taken and released (nothing written), free disk space. MongoDB: a ping',
    },
  ),
});

export const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  failed: Type.Optional(
    Type.Array(Type.Union([Type.Literal('shutdown'), Type.Literal('keys'), Type.Literal('store')]), {
      description: 'The checks that failed (only when not ready)',
    }),
  ),
  checks: ReadyChecks,
});

export const readyRouteSchema = {
  tags: ['ops'],
  summary: 'Readiness: the store reads and takes writes, signing keys are loaded, not shutting down (no auth)',
  description:
    'Answers within HOLODULE_READY_TIMEOUT_MS (default 1 s). 503 names the failed checks; during a SIGTERM drain ' +
    'it fails first, while in-flight requests still complete.',
  response: { 200: ReadyResponse, 503: ReadyResponse },
};
