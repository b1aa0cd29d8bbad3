// The one error handler: AppError and Fastify's own errors become the contract's bodies (v1) or RFC 9457 problem
// details (v2, chosen by the route prefix); nothing internal leaks.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorShape, notFound } from '../errors.js';
import { problemOf, PROBLEM_CONTENT_TYPE } from './problem.js';

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
};

/** Our own words for a field's schema failure, where ajv's would be cryptic. */
const FIELD_HINTS: Record<string, string> = {
  'params.date': 'date must be 8 digits, YYYYMMDD (e.g. 20201209)',
};

function fromFastifyError(err: FastifyError, request: FastifyRequest): AppError {
  const shape = request.routeOptions.config?.errorShape ?? 'plain';
  if (err.validation) {
    const [first] = err.validation;
    const isWholeBody = err.validationContext === 'body' && (first?.instancePath ?? '') === '';
    if (
      request.routeOptions.config?.validationErrors === 'credentials' &&
      !(isWholeBody && first?.keyword === 'type')
    ) {
      return new AppError(401, 'Bad Request', 'Invalid credentials', { shape: 'jwt' });
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
        : (FIELD_HINTS[field] ?? `${field} ${first?.message ?? 'is invalid'}`);
    return shape === 'jwt'
      ? new AppError(400, 'Bad Request', description, { shape })
      : new AppError(400, 'Bad request', description, parameter ? { parameter } : {});
  }
  const status = err.statusCode ?? 500;
  if (status >= 500) return new AppError(500, 'Internal Server Error', undefined, { cause: err });
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return new AppError(
      400,
      shape === 'jwt' ? 'Bad Request' : 'Bad request',
      DESCRIPTIONS.FST_ERR_CTP_INVALID_JSON_BODY,
      { shape },
    );
  }
  const description = DESCRIPTIONS[err.code] ?? REASONS[status] ?? 'The request was not accepted';
  return new AppError(status, REASONS[status] ?? 'Bad request', description, { shape });
}

/** v2 answers errors as problem details; everything else keeps the original's bodies. */
const isV2 = (request: FastifyRequest): boolean => /^\/api\/v2(?:[/?]|$)/.test(request.url);

function sendProblem(reply: FastifyReply, error: AppError): void {
  void reply
    .status(error.status)
    .headers(error.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemOf(error)));
}

/** No such route: the contract's 404, or a problem under /api/v2. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ url: request.url }, 'no such route');
  if (isV2(request)) sendProblem(reply, notFound());
  else void reply.status(404).send({ error: 'Not found' });
}

export function handleError(err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = err instanceof AppError ? err : fromFastifyError(err, request);
  if (appError.status >= 500) {
    request.log.error({ err: appError.cause ?? err }, 'request failed');
    if (isV2(request)) {
      sendProblem(reply, appError.status === 503 ? appError : new AppError(500, 'Internal Server Error'));
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
  void reply.status(appError.status).headers(appError.headers).send(appError.body());
}
