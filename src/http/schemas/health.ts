import { Type } from 'typebox';

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  store: Type.Object({ kind: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) }),
  uptime_s: Type.Number(),
});

export const healthRouteSchema = {
  tags: ['ops'],
  summary: 'Liveness and database health (no auth)',
  response: { 200: HealthResponse, 503: HealthResponse },
};
