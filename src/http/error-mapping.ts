// The one place an error kind becomes HTTP: its status, its headers and the contract's body (v1) — problem.ts
// gives the v2 problem details of the same refusal.
import { WWW_AUTHENTICATE } from '../auth/authorization-header.js';
import type { AppError, ErrorKind } from '../errors.js';

/**
 * `jwt`: Flask-JWT's shape `{status_code, error, description}` (auth and protected requests).
 * `plain`: Flask's shape `{error, description?}` (everything else).
 */
export type ErrorShape = 'jwt' | 'plain';

/** An answer refusing a request, as HTTP sees it. */
export interface Refusal {
  status: number;
  /** The contract's `error` string. */
  error: string;
  description: string | undefined;
  shape: ErrorShape;
  headers: Record<string, string>;
  /** The request parameter at fault (v2's problem details name it). */
  parameter?: string | undefined;
  cause?: unknown;
}

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'not-allowed': 405,
  conflict: 409,
  throttled: 429,
  internal: 500,
  unavailable: 503,
};

/** The contract's `error` string of each kind (Flask's reason phrases, as the original sends them). */
const ERROR: Record<ErrorKind, string> = {
  invalid: 'Bad request',
  unauthenticated: 'Authorization Required',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'not-allowed': 'Method Not Allowed',
  conflict: 'Conflict',
  throttled: 'Too Many Requests',
  internal: 'Internal Server Error',
  unavailable: 'Service Unavailable',
};

export const statusOf = (kind: ErrorKind): number => STATUS[kind];

/**
 * How `err` answers on a route whose other failures take `routeShape`: credential and permission refusals are
 * always Flask-JWT's shape; the rest take the route's.
 */
export function refusalOf(err: AppError, routeShape: ErrorShape = 'plain'): Refusal {
  const { kind, details } = err;
  const headers: Record<string, string> = {};
  if (details.challenge) headers['www-authenticate'] = WWW_AUTHENTICATE;
  if (details.retryAfterSeconds !== undefined) headers['retry-after'] = String(details.retryAfterSeconds);
  if (details.allowed !== undefined) headers.allow = details.allowed.join(', ');
  return {
    status: STATUS[kind],
    error: details.error ?? ERROR[kind],
    description: err.description,
    shape: kind === 'unauthenticated' || kind === 'forbidden' ? 'jwt' : routeShape,
    headers,
    parameter: details.parameter,
    cause: details.cause,
  };
}

/** The v1 body a client sees: only the fields the contract names, in its order. */
export function bodyOf(refusal: Refusal): Record<string, unknown> {
  if (refusal.shape === 'jwt') {
    return { status_code: refusal.status, error: refusal.error, description: refusal.description ?? '' };
  }
  return refusal.description === undefined
    ? { error: refusal.error }
    : { error: refusal.error, description: refusal.description };
}
