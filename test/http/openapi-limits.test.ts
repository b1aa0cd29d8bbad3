// The OpenAPI document states the limits the server enforces, from the same constants.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCalendarDay } from '../../src/domain/calendar-day.js';
import { USERNAME_PATTERN, isValidUsername } from '../../src/domain/username-rule.js';
import { DAY_PATTERN } from '../../src/http/schemas/holodules.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by path
type Doc = any;

describe('the OpenAPI document', () => {
  let sut: TestServer;
  let doc: Doc;
  before(async () => {
    sut = await startTestServer({ HOLODULE_PASSWORD_MIN_LENGTH: '10' });
    doc = await (await fetch(`${sut.url}/openapi.json`)).json();
  });
  after(() => sut.close());

  const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;

  it("states a new password's configured minimum and its maximum, in characters", () => {
    for (const schema of [
      body('/users', 'post').properties.password,
      body('/users/{username}/password', 'put').properties.password,
      body('/me/password', 'put').properties.new_password,
    ]) {
      assert.equal(schema.minLength, 10);
      assert.equal(schema.maxLength, 256);
    }
    assert.equal(body('/me/password', 'put').properties.current_password.minLength, 1);
  });

  it("states a new username's length and characters as the server's own pattern", () => {
    const username = body('/users', 'post').properties.username;
    assert.equal(username.pattern, USERNAME_PATTERN);
    assert.equal(username.maxLength, 256);
    assert.equal(doc.paths['/users/{username}'].get.parameters[0].schema.pattern, undefined, 'any stored name');
  });

  it("states the day's pattern, role enum and security schemes", () => {
    assert.equal(doc.paths['/holodules/{date}'].get.parameters[0].schema.pattern, DAY_PATTERN);
    const role = body('/users', 'post').properties.role;
    assert.deepEqual(
      role.anyOf.map((r: Doc) => r.enum?.[0] ?? r.const),
      ['admin', 'user'],
    );
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'bearer', 'jwt', 'metricsToken']);
    assert.deepEqual(doc.paths['/me'].get.security, [{ jwt: [] }, { bearer: [] }]);
  });

  it('documents every refusal a route can answer', () => {
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).sort();
    assert.deepEqual(statuses('/auth', 'post'), ['200', '400', '401', '413', '415', '429', '503']);
    assert.deepEqual(statuses('/users', 'post'), ['201', '400', '401', '403', '409', '413', '415', '503']);
    assert.deepEqual(statuses('/holodules/{date}', 'get'), ['200', '304', '400', '401', '404', '429', '503']);
    assert.deepEqual(statuses('/me/password', 'put'), ['204', '400', '401', '413', '415', '503']);
    assert.equal(doc.paths['/auth'].post.responses['429'].headers['Retry-After'].schema.type, 'integer');
    assert.match(doc.info.description, /405/);
  });
});

describe('the patterns the document states', () => {
  it('the day pattern accepts exactly the calendar days the server accepts', () => {
    const day = new RegExp(DAY_PATTERN, 'u');
    for (let year = 1960; year <= 2500; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let d = 0; d <= 32; d++) {
          const value = `${year}${String(month).padStart(2, '0')}${String(d).padStart(2, '0')}`;
          let accepted = true;
          try {
            parseCalendarDay(value);
          } catch {
            accepted = false;
          }
          assert.equal(day.test(value), accepted, value);
        }
      }
    }
  });

  it('the username rule refuses whitespace, controls, invisible and private-use characters, and lone surrogates', () => {
    for (const name of ['user01', 'ときのそら', '尾丸ポルカ', 'a.b-c_d@e', '😀', 'x'.repeat(256)]) {
      assert.ok(isValidUsername(name), name);
    }
    for (const name of [
      '',
      'a b',
      'a\tb',
      'a\u0000',
      'a\u007f',
      '\u00a0',
      'ad\u200bmin',
      'a\u202eb',
      '\ufeffa',
      '\ue000',
      'a\ud800',
      'x'.repeat(257),
    ]) {
      assert.ok(!isValidUsername(name), JSON.stringify(name));
    }
  });
});
