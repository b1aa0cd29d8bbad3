// Every username POST /users accepts can be read, changed, disabled and deleted over the API, however long
// (up to 256 characters) and whatever its script; the names it refuses are refused with a clear 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_USERNAME_LENGTH } from '../../src/domain/users.js';
import { call, startTestApp, type TestServer, fetch } from '../support/test-server.js';

const NAMES: Record<string, string> = {
  '101 ASCII characters (one past the router default)': 'a'.repeat(101),
  '256 ASCII characters': 'b'.repeat(MAX_USERNAME_LENGTH),
  '256 characters of 3 UTF-8 bytes (kana)': 'あ'.repeat(MAX_USERNAME_LENGTH),
  '256 characters of 4 UTF-8 bytes (outside the BMP)': '𝒜'.repeat(MAX_USERNAME_LENGTH),
  'a mixed multi-byte name with reserved URL characters': 'ユーザー/?#%&+=@🎉ü',
};

describe('users with long and multi-byte names', () => {
  let sut: TestServer;
  let admin: string;
  before(async () => {
    sut = await startTestApp();
    await sut.addUser('root', 'password01', { role: 'admin' });
    admin = await sut.login('root', 'password01');
  });
  after(() => sut.close());
  const path = (name: string, rest = '') => `${sut.url}/users/${encodeURIComponent(name)}${rest}`;

  for (const [label, name] of Object.entries(NAMES)) {
    it(`when the name is ${label}, then it can be created, read, promoted, reset, disabled, enabled and deleted`, async () => {
      const created = await call(`${sut.url}/users`, 'POST', {
        token: admin,
        body: { username: name, password: 'password-1' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.username, name);

      const read = await call(path(name), 'GET', { token: admin });
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal(read.body.username, name);

      const promoted = await call(path(name), 'PATCH', { token: admin, body: { role: 'admin' } });
      assert.equal(promoted.status, 200);
      assert.equal(promoted.body.role, 'admin');

      assert.equal(
        (await call(path(name, '/password'), 'PUT', { token: admin, body: { password: 'password-2' } })).status,
        204,
      );
      const token = await sut.login(name, 'password-2');
      const me = await call(`${sut.url}/me`, 'GET', { token });
      assert.equal(me.body.username, name);

      const disabled = await call(path(name), 'PATCH', { token: admin, body: { disabled: true } });
      assert.equal(disabled.body.disabled, true);
      assert.equal((await call(`${sut.url}/me`, 'GET', { token })).status, 401, 'disabling ends their tokens');
      const enabled = await call(path(name), 'PATCH', { token: admin, body: { disabled: false } });
      assert.equal(enabled.body.disabled, false);

      assert.equal((await call(path(name), 'DELETE', { token: admin })).status, 204);
      assert.equal((await call(path(name), 'GET', { token: admin })).status, 404);
    });
  }

  const REFUSED: Record<string, string> = {
    'is one character too long': 'c'.repeat(MAX_USERNAME_LENGTH + 1),
    'has a NUL character': 'nul\u0000name',
    'has a newline': 'new\nline',
    'is only whitespace': '   ',
    'has a space inside': 'two words',
    'is empty': '',
  };
  for (const [label, name] of Object.entries(REFUSED)) {
    it(`refuses a new user whose name ${label}, with 400 saying why`, async () => {
      const res = await call(`${sut.url}/users`, 'POST', {
        token: admin,
        body: { username: name, password: 'password-1' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'Bad request');
      assert.equal(typeof res.body.description, 'string');
    });
  }

  it('answers a name one character too long in the path with 400, and one far beyond any name with a 4xx, never 500', async () => {
    const tooLong = await call(path('d'.repeat(MAX_USERNAME_LENGTH + 1)), 'GET', { token: admin });
    assert.equal(tooLong.status, 400);
    const farTooLong = await fetch(path('𝒜'.repeat(MAX_USERNAME_LENGTH * 2)), {
      headers: { authorization: `JWT ${admin}` },
    });
    assert.ok(farTooLong.status >= 400 && farTooLong.status < 500, String(farTooLong.status));
  });
});
