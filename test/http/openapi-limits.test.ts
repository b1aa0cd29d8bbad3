// The OpenAPI document states the limits the server enforces, from the same constants.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCalendarDay } from '../../src/domain/calendar-day.js';
import { USERNAME_PATTERN, isValidUsername } from '../../src/domain/username-rule.js';
import { INSTANT_PATTERN, parseInstant } from '../../src/domain/rfc3339.js';
import {
  CODE_PATTERN,
  GROUP_LIST_PATTERN,
  HOURS_PATTERN,
  LIMIT_PATTERN,
  MAX_TEXT_CHARS,
  parseHours,
  parseLimit,
  parseList,
  STATUS_LIST_PATTERN,
  TALENT_LIST_PATTERN,
  VIDEO_ID_PATTERN,
} from '../../src/domain/schedule-v2.js';
import { AVATAR_PATTERN, CHANNEL_ID_PATTERN, checkPatch, NAME_PATTERN } from '../../src/domain/talents.js';
import { DAY_PATTERN } from '../../src/http/schemas/holodules.js';
import { GROUPS } from '../../src/talents/directory.js';
import { startTestApp, type TestServer, fetch } from '../support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by path
type Doc = any;

describe('the OpenAPI document', () => {
  let sut: TestServer;
  let doc: Doc;
  before(async () => {
    sut = await startTestApp({ HOLODULE_PASSWORD_MIN_LENGTH: '10' });
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

describe('the v2 patterns the document states', () => {
  let sut: TestServer;
  let doc: Doc;
  before(async () => {
    sut = await startTestApp();
    doc = await (await fetch(`${sut.url}/openapi.json`)).json();
  });
  after(() => sut.close());

  const param = (path: string, name: string, method = 'get') =>
    doc.paths[path][method].parameters.find((p: Doc) => p.name === name).schema;
  const accepts = (check: () => unknown): boolean => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };

  it('states the server own patterns for every v2 query and path parameter, and the group ids as enums', () => {
    const streams = (name: string) => param('/api/v2/streams', name);
    assert.equal(streams('from').pattern, INSTANT_PATTERN);
    assert.equal(streams('to').pattern, INSTANT_PATTERN);
    assert.equal(streams('talent').pattern, TALENT_LIST_PATTERN);
    assert.equal(streams('group').pattern, GROUP_LIST_PATTERN);
    assert.equal(streams('status').pattern, STATUS_LIST_PATTERN);
    assert.equal(streams('limit').pattern, LIMIT_PATTERN);
    assert.equal(streams('q').maxLength, MAX_TEXT_CHARS);
    assert.deepEqual(streams('order').enum, ['asc', 'desc']);
    assert.equal(param('/api/v2/live', 'hours').pattern, HOURS_PATTERN);
    assert.equal(param('/api/v2/streams/{video_id}', 'video_id').pattern, VIDEO_ID_PATTERN);
    assert.equal(param('/api/v2/talents/{code}', 'code').pattern, CODE_PATTERN);
    assert.deepEqual(
      param('/api/v2/talents', 'group').enum,
      GROUPS.map((g) => g.id),
    );
  });

  it("states PATCH /api/v2/talents/{code}'s rules: at least one field, names, avatar, channel id, group or null", () => {
    const body = doc.paths['/api/v2/talents/{code}'].patch.requestBody.content['application/json'].schema;
    assert.equal(body.minProperties, 1);
    assert.equal(body.additionalProperties, false);
    assert.equal(body.properties.name.pattern, NAME_PATTERN);
    assert.equal(body.properties.name.maxLength, 100);
    assert.equal(body.properties.avatar.pattern, AVATAR_PATTERN);
    assert.equal(body.properties.channel_id.pattern, CHANNEL_ID_PATTERN);
    assert.deepEqual(body.properties.group.enum, [...GROUPS.map((g) => g.id), null]);
  });

  it('hours and limit: the pattern accepts exactly the numbers the server takes', () => {
    const hours = new RegExp(HOURS_PATTERN, 'u');
    const limit = new RegExp(LIMIT_PATTERN, 'u');
    const values = ['', ' 1', '1 ', '+1', '1.0', '1e1', 'ten', '٣'];
    for (let n = 0; n <= 1000; n++) values.push(String(n), `0${n}`);
    for (const value of values) {
      assert.equal(
        hours.test(value),
        accepts(() => parseHours(value)),
        `hours=${value}`,
      );
      assert.equal(
        limit.test(value),
        accepts(() => parseLimit(value)),
        `limit=${value}`,
      );
      if (hours.test(value)) assert.ok(Number(value) >= 1 && Number(value) <= 48);
      if (limit.test(value)) assert.ok(Number(value) >= 1 && Number(value) <= 200);
    }
    assert.ok(hours.test('48') && !hours.test('49') && limit.test('200') && !limit.test('201'));
  });

  it('from and to: the pattern accepts exactly the days and times the server reads', () => {
    const instant = new RegExp(INSTANT_PATTERN, 'u');
    const values: string[] = [];
    for (const year of [1969, 1970, 1972, 1900, 2000, 2020, 2021, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let d = 0; d <= 32; d++)
          values.push(`${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      }
    }
    for (const time of ['T00:00Z', 'T23:59:59Z', 't12:00:00z', ' 12:00+09:00', 'T12:00:00.123456789-23:59']) {
      values.push(`2020-12-09${time}`);
    }
    for (const time of ['T24:00Z', 'T12:60Z', 'T12:00:60Z', 'T12:00', 'T12:00:00+24:00', 'T12:00:00.1234567890Z']) {
      values.push(`2020-12-09${time}`);
    }
    values.push('2020-12-9', '20201209', '2020-12-09T', '2020-12-09Z', 'yesterday', '');
    for (const value of values) {
      assert.equal(
        instant.test(value),
        accepts(() => parseInstant('from', value)),
        value,
      );
    }
    assert.ok(instant.test('2020-02-29') && !instant.test('2021-02-29') && !instant.test('1969-12-31'));
  });

  it('talent, group and status lists: the pattern accepts exactly the lists the server reads', () => {
    const cases: Array<['talent' | 'group' | 'status', string, RegExp]> = [];
    const lists = {
      talent: ['HL0503', 'hl0503,HL0301', 'HL0503,', ',HL0503', 'HL0503, HL0301', 'H', 'HL0503!', 'Ｈ L'],
      group: ['holox', 'holox,hololive_en', 'holox,', 'HOLOX', 'nope', 'holox ,unknown'],
      status: ['live', 'live,upcoming,ended,missing', 'live,', 'LIVE', 'bogus', ','],
    };
    const patterns = {
      talent: new RegExp(TALENT_LIST_PATTERN, 'u'),
      group: new RegExp(GROUP_LIST_PATTERN, 'u'),
      status: new RegExp(STATUS_LIST_PATTERN, 'u'),
    };
    for (const [name, values] of Object.entries(lists) as Array<['talent' | 'group' | 'status', string[]]>) {
      values.push(Array(50).fill(values[0]).join(','), Array(51).fill(values[0]).join(','));
      for (const value of values) cases.push([name, value, patterns[name]]);
    }
    for (const [name, value, pattern] of cases) {
      assert.equal(
        pattern.test(value),
        accepts(() => parseList(name, value)),
        `${name}=${value}`,
      );
    }
  });

  it('talent names and avatars: the pattern accepts exactly what a correction takes', () => {
    const name = new RegExp(NAME_PATTERN, 'u');
    for (const value of ['新人ちゃん', ' a ', 'x'.repeat(100), '', ' ', '\u3000', '\ufeff\t', '\u0085', 'a\u200b']) {
      const schemaOk = name.test(value) && Array.from(value).length <= 100;
      assert.equal(
        schemaOk,
        accepts(() => checkPatch({ name: value })),
        JSON.stringify(value),
      );
    }
    const avatar = new RegExp(AVATAR_PATTERN, 'u');
    for (const value of ['https://yt3.ggpht.com/x=s88', 'https://', 'http://x', 'https://a b', 'https://a\u3000']) {
      assert.equal(
        avatar.test(value),
        accepts(() => checkPatch({ avatar: value })),
        value,
      );
    }
  });
});
