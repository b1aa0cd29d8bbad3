// The one error handler: AppError (by its kind, through error-mapping.ts) and Fastify's own errors become the
// contract's bodies (v1) or RFC 9457 problem details (v2, chosen by the route prefix); nothing internal leaks.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalidCredentials } from '../errors.js';
import { bodyOf, type ErrorShape, type Refusal, refusalOf } from './error-mapping.js';
import { USERNAME_RULE } from '../domain/username-rule.js';
import { passwordTooLong } from '../domain/users.js';
import { v2RefusalOf } from './v2-refusals.js';
import { problemOf, PROBLEM_CONTENT_TYPE } from './problem.js';
import { UNSUPPORTED_CHARSET } from './request-refusals.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `credentials`: schema failures are the contract's 401 `Invalid credentials` (POST /auth). */
    validationErrors?: 'credentials';
    /** Error body shape for this route's non-AppError failures. */
    errorShape?: ErrorShape;
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

/** Our own words for Fastify's request errors (its messages stay in the log). */
const DESCRIPTIONS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_BAD_URL: 'The URL is not valid',
  [UNSUPPORTED_CHARSET]:
    'The body must be JSON in UTF-8: Content-Type application/json, with no charset or charset=utf-8',
};

/** Our own words for a field's schema failure (the domain's words where it has them), where ajv's are cryptic. */
const passwordHint = (request: FastifyRequest, keyword: string | undefined): string | undefined => {
  if (keyword === 'minLength')
    return `a password needs at least ${request.server.config.passwords.minLength} characters`;
  return keyword === 'maxLength' ? passwordTooLong : undefined;
};
const FIELD_HINTS: Record<string, (request: FastifyRequest, keyword: string | undefined) => string | undefined> = {
  'params.date': (request) => {
    const { date } = request.params as { date: string };
    return /^\d{8}$/.test(date)
      ? `${date} is not a calendar date (YYYYMMDD)`
      : 'date must be 8 digits, YYYYMMDD (e.g. 20201209)';
  },
  'body.password': passwordHint,
  'body.new_password': passwordHint,
  'body.username': (_request, keyword) => (keyword === 'type' ? undefined : `a username is ${USERNAME_RULE}`),
};

const refusal = (
  status: number,
  error: string,
  description: string | undefined,
  shape: ErrorShape,
  extra: Partial<Refusal> = {},
): Refusal => ({ status, error, description, shape, headers: {}, ...extra });

function fromFastifyError(err: FastifyError, request: FastifyRequest): Refusal {
  const shape = routeShape(request);
  const v2Refusal = err.validation && isV2(request) ? v2RefusalOf(err, request) : undefined;
  if (v2Refusal !== undefined) return refusalOf(v2Refusal, shape);
  if (err.validation) {
    const [first] = err.validation;
    const isWholeBody = err.validationContext === 'body' && (first?.instancePath ?? '') === '';
    if (
      request.routeOptions.config?.validationErrors === 'credentials' &&
      !(isWholeBody && first?.keyword === 'type')
    ) {
      return refusalOf(invalidCredentials(), shape);
    }
    const field = `${err.validationContext ?? 'request'}${first?.instancePath ?? ''}`.replaceAll('/', '.');
    // The parameter at fault (v2 names it): a missing or unexpected property, else the last step of the path.
    const { missingProperty, additionalProperty } = (first?.params ?? {}) as Record<string, string | undefined>;
    const parameter =
      missingProperty ??
      additionalProperty ??
      (first?.instancePath ? first.instancePath.split('/').at(-1) : err.validationContext);
    const description =
      isWholeBody && first?.keyword === 'type'
        ? 'The request body must be a JSON object'
        : (FIELD_HINTS[field]?.(request, first?.keyword) ?? `${field} ${first?.message ?? 'is invalid'}`);
    return shape === 'jwt'
      ? refusal(400, 'Bad Request', description, shape)
      : refusal(400, 'Bad request', description, 'plain', parameter ? { parameter } : {});
  }
  const status = err.statusCode ?? 500;
  if (status >= 500) return refusal(500, 'Internal Server Error', undefined, 'plain', { cause: err });
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return refusal(
      400,
      shape === 'jwt' ? 'Bad Request' : 'Bad request',
      DESCRIPTIONS.FST_ERR_CTP_INVALID_JSON_BODY,
      shape,
    );
  }
  const description = DESCRIPTIONS[err.code] ?? REASONS[status] ?? 'The request was not accepted';
  // Flask's plain 400 says `Bad request`; Flask-JWT's says `Bad Request`.
  const error = status === 400 && shape === 'plain' ? 'Bad request' : (REASONS[status] ?? 'Bad request');
  return refusal(status, error, description, shape);
}

const routeShape = (request: FastifyRequest): ErrorShape => request.routeOptions.config?.errorShape ?? 'plain';

/** v2 answers errors as problem details; everything else keeps the original's bodies. */
const isV2 = (request: FastifyRequest): boolean => /^\/api\/v2(?:[/?]|$)/.test(request.url);

function sendProblem(reply: FastifyReply, error: Refusal): void {
  void reply
    .status(error.status)
    .headers(error.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemOf(error)));
}

export function handleError(err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = err instanceof AppError ? refusalOf(err, routeShape(request)) : fromFastifyError(err, request);
  if (appError.status >= 500) {
    request.log.error({ err: appError.cause ?? err }, 'request failed');
    if (isV2(request)) {
      sendProblem(
        reply,
        appError.status === 503 ? appError : refusal(500, 'Internal Server Error', undefined, 'plain'),
      );
      return;
    }
    const body = appError.status === 503 ? { error: 'Service Unavailable' } : { error: 'Internal Server Error' };
    void reply
      .status(appError.status === 503 ? 503 : 500)
      .headers(appError.headers)
      .send(body);
    return;
  }
  request.log.info(
    { status: appError.status, error: appError.error, description: appError.description },
    'request refused',
  );
  if (isV2(request)) {
    sendProblem(reply, appError);
    return;
  }
  void reply.status(appError.status).headers(appError.headers).send(bodyOf(appError));
}
