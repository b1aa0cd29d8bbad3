// RFC 9457 problem details: how a refusal reads on v2.
import type { Refusal } from './error-mapping.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Problem types of ours (tag URIs, RFC 4151: names, not addresses; docs/api-v2.md lists them); any other status is `about:blank` with the status's reason as its title. */
export const PROBLEM_TYPES = {
  invalidParameter: 'tag:holodule,2026:problem/invalid-parameter',
  unauthenticated: 'tag:holodule,2026:problem/unauthenticated',
} as const;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request parameter at fault (query, path or body field). */
  parameter?: string;
}

export function problemOf(error: Refusal): Problem {
  const title = TITLES[error.status] ?? error.error;
  const base = { title, status: error.status };
  if (error.status === 400 && error.parameter !== undefined) {
    return {
      type: PROBLEM_TYPES.invalidParameter,
      ...base,
      title: 'Invalid parameter',
      detail: error.description ?? `${error.parameter} is not valid`,
      parameter: error.parameter,
    };
  }
  if (error.status === 401) {
    // Flask-JWT's two parts (what, why) read as one sentence; the WWW-Authenticate header stays as v1 sends it.
    return { type: PROBLEM_TYPES.unauthenticated, ...base, detail: `${error.error}: ${error.description ?? ''}` };
  }
  const detail =
    error.status >= 500
      ? error.status === 503
        ? 'The store is unavailable; try again shortly'
        : 'Something went wrong on our side'
      : (error.description ?? (error.status === 404 ? 'No such resource' : title));
  return { type: 'about:blank', ...base, detail };
}
