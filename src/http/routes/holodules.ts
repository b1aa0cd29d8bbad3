// GET /holodules/<YYYYMMDD>: one day's streams, the original's shape.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findStreamsByDay } from '../../domain/schedule.js';
import { dayRouteSchema } from '../schemas/holodules.js';

export const holoduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/holodules/:date', { schema: dayRouteSchema, onRequest: app.requireUser }, async (request) => {
    const holodules = await findStreamsByDay(app.store, request.params.date);
    return { result: holodules.length, holodules };
  });
};
