// GET /api/v2/groups, /api/v2/talents, /api/v2/talents/{code}; PATCH /api/v2/talents/{code} (admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getTalent, listGroups, listTalents, updateTalent } from '../../domain/talents.js';
import { getTalentSchema, listGroupsSchema, listTalentsSchema, updateTalentSchema } from '../schemas/v2.js';

export const v2TalentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/v2/groups', { schema: listGroupsSchema, onRequest: app.requireReader }, async () =>
    listGroups(app.schedule),
  );

  app.get('/api/v2/talents', { schema: listTalentsSchema, onRequest: app.requireReader }, async (request) =>
    listTalents(app.schedule, request.query.group),
  );

  app.get('/api/v2/talents/:code', { schema: getTalentSchema, onRequest: app.requireReader }, async (request) =>
    getTalent(app.schedule, request.params.code),
  );

  app.patch('/api/v2/talents/:code', { schema: updateTalentSchema, onRequest: app.requireAdmin }, async (request) => {
    const talent = await updateTalent(app.schedule, request.params.code, request.body);
    app.log.info({ event: 'talent.update', actor: request.user!.username, code: talent.code }, 'admin: talent.update');
    return talent;
  });
};
