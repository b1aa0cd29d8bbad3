// v2's schema failures in the domain's own words: the OpenAPI patterns are the domain's rules, so the domain's
// check of the same value says what is wrong (ajv would say "must match pattern …").
import type { FastifyError, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { parseInstant } from '../domain/rfc3339.js';
import { checkVideoId, parseHours, parseLimit, parseList, parseOrder, parseText } from '../domain/schedule-v2.js';
import { checkCode, checkPatch, TALENT_PATCH_FIELDS, type TalentPatch } from '../domain/talents.js';

type Check = (value: string) => unknown;

const CHECKS: Record<string, Check> = {
  'querystring.from': (v) => parseInstant('from', v),
  'querystring.to': (v) => parseInstant('to', v),
  'querystring.talent': (v) => parseList('talent', v),
  'querystring.group': (v) => parseList('group', v),
  'querystring.status': (v) => parseList('status', v),
  'querystring.q': parseText,
  'querystring.order': parseOrder,
  'querystring.limit': parseLimit,
  'querystring.hours': parseHours,
  'params.video_id': checkVideoId,
  'params.code': checkCode,
};

/** The domain's AppError for the value that failed its schema, when the domain has a check for it. */
export function v2RefusalOf(err: FastifyError, request: FastifyRequest): AppError | undefined {
  const [first] = err.validation ?? [];
  if (first === undefined) return undefined;
  const context = err.validationContext;
  const refusal = (check: () => unknown): AppError | undefined => {
    try {
      check();
    } catch (e) {
      if (e instanceof AppError) return e;
    }
    return undefined;
  };
  if (context === 'body') {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const field = first.instancePath.split('/')[1];
    const value = field === undefined ? undefined : (body as Record<string, unknown>)[field];
    // PATCH /api/v2/talents/{code}'s body: empty, or one correction that cannot be used (POST /api/v2/session's
    // credentials fall through: every failure of theirs is the same 401).
    if (first.keyword === 'minProperties') return refusal(() => checkPatch({}));
    if ((TALENT_PATCH_FIELDS as readonly string[]).includes(field ?? '') && typeof value === 'string')
      return refusal(() => checkPatch({ [field!]: value } as TalentPatch));
    return undefined;
  }
  const source = context === 'querystring' ? request.query : context === 'params' ? request.params : undefined;
  const name = first.instancePath.split('/')[1];
  const check = CHECKS[`${context}.${name}`];
  const value = name === undefined ? undefined : (source as Record<string, unknown> | undefined)?.[name];
  return check !== undefined && typeof value === 'string' ? refusal(() => check(value)) : undefined;
}
