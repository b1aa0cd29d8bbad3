// Fastify's schema compilers made on first use (src/http/lazy-compilers.ts): start-up asks for them, a request
// is what makes and runs them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { madeOnFirstUse } from '../../src/http/lazy-compilers.js';

it('makes a compiler on the first route compile, not when Fastify asks for it, and makes it once', () => {
  const made: unknown[] = [];
  const factory = (externalSchemas: unknown, options: unknown) => {
    made.push({ externalSchemas, options });
    return (route: unknown) => (data: unknown) => ({ route, data });
  };

  const sut = madeOnFirstUse(factory)({ shared: true }, { coerce: true });
  assert.deepEqual(made, []);

  assert.deepEqual(sut('day route')(1), { route: 'day route', data: 1 });
  assert.deepEqual(sut('auth route')(2), { route: 'auth route', data: 2 });
  assert.deepEqual(made, [{ externalSchemas: { shared: true }, options: { coerce: true } }]);
});
