import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitOf } from '../../src/cli/error-exit.js';
import {
  AppError,
  conflict,
  type ErrorKind,
  forbidden,
  invalidCredentials,
  invalidParameter,
  isKind,
  methodNotAllowed,
  notFound,
  serviceUnavailable,
  throttled,
  unauthenticated,
} from '../../src/errors.js';
import { bodyOf, refusalOf, statusOf } from '../../src/http/error-mapping.js';

describe('errors by kind', () => {
  it('an error says what went wrong and carries no HTTP status', () => {
    const err = notFound('no such feed');
    assert.equal(err.kind, 'not-found');
    assert.equal(err.description, 'no such feed');
    assert.equal('status' in err, false);
  });

  it('isKind tells kinds apart', () => {
    assert.ok(isKind(throttled('slow down', 3), 'throttled'));
    assert.ok(!isKind(conflict('taken'), 'throttled'));
    assert.ok(!isKind(new Error('x'), 'throttled'));
  });

  it('HTTP maps every kind to its status', () => {
    const expected: Record<ErrorKind, number> = {
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
    for (const [kind, status] of Object.entries(expected)) assert.equal(statusOf(kind as ErrorKind), status, kind);
  });

  it("HTTP gives credential refusals Flask-JWT's body and the challenge header", () => {
    const refusal = refusalOf(unauthenticated('Authorization Required', 'no token', { challenge: true }));
    assert.deepEqual(bodyOf(refusal), { status_code: 401, error: 'Authorization Required', description: 'no token' });
    assert.equal(refusal.headers['www-authenticate'], 'JWT realm="Login Required"');
    assert.deepEqual(bodyOf(refusalOf(invalidCredentials())), {
      status_code: 401,
      error: 'Bad Request',
      description: 'Invalid credentials',
    });
    assert.equal(refusalOf(forbidden('admins only')).shape, 'jwt');
  });

  it("HTTP gives other refusals Flask's plain body, or the route's shape", () => {
    assert.deepEqual(bodyOf(refusalOf(notFound())), { error: 'Not found' });
    assert.deepEqual(bodyOf(refusalOf(invalidParameter('date', 'bad date'))), {
      error: 'Bad request',
      description: 'bad date',
    });
    const slow = refusalOf(throttled('wait', 7), 'jwt');
    assert.deepEqual(bodyOf(slow), { status_code: 429, error: 'Too Many Requests', description: 'wait' });
    assert.equal(slow.headers['retry-after'], '7');
    assert.equal(refusalOf(methodNotAllowed(['GET', 'HEAD'])).headers.allow, 'GET, HEAD');
  });

  it('the CLI maps a refusal to its description and exit code 1, and unavailable to a database message', () => {
    assert.deepEqual(exitOf(conflict('taken')), { text: 'taken', code: 1 });
    assert.deepEqual(exitOf(serviceUnavailable(new Error('gone'))), {
      text: 'the database is unavailable: gone',
      code: 1,
    });
    assert.match(exitOf(new AppError('internal', 'oops')).text, /^unexpected error/);
  });
});
