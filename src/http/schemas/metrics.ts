import { Type } from '../../schemas/typebox.js';

export const metricsRouteSchema = {
  tags: ['ops'],
  summary: 'Prometheus metrics (bearer token from HOLODULE_METRICS_TOKEN)',
  description:
    'Prometheus text format. Present only when HOLODULE_METRICS_TOKEN is set; send `Authorization: Bearer <token>`.',
  security: [{ metricsToken: [] }],
  response: {
    200: Type.String({ description: 'Prometheus exposition format 0.0.4' }),
    401: Type.Ref('PlainError'),
  },
};
