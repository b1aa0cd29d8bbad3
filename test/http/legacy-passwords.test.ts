import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPasswordHash } from '../../src/auth/passwords.js';
import { startTestApp, fetch } from '../support/test-server.js';

describe('a user stored the original way, with a plain-text password', () => {
  it('logs in, and that first success replaces the plain text with an Argon2id hash, other fields unchanged', async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    await sut.store.users.create({ id: '1', username: 'user01', password: 'password01', extra: { team: 'gamers' } });
    const before = await sut.store.users.findByUsername('user01');

    await sut.login('user01', 'password01');

    const stored = await sut.store.users.findByUsername('user01');
    assert.ok(stored && isPasswordHash(stored.password), 'the password is now a hash');
    assert.match(stored.password, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.deepEqual({ ...stored, password: 'hidden' }, { ...before, password: 'hidden' });
    await sut.login('user01', 'password01');
  });

  it('when the login fails, then the plain text is left as it was', async (t) => {
    const sut = await startTestApp();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01', { plainText: true });
    const res = await fetch(`${sut.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'user01', password: 'password0' }),
    });
    assert.equal(res.status, 401);
    assert.equal((await sut.store.users.findByUsername('user01'))?.password, 'password01');
  });

  it('when HOLODULE_UPGRADE_LEGACY_PASSWORDS=false, then it logs in and the plain text stays', async (t) => {
    const sut = await startTestApp({ HOLODULE_UPGRADE_LEGACY_PASSWORDS: 'false' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01', { plainText: true });
    await sut.login('user01', 'password01');
    assert.equal((await sut.store.users.findByUsername('user01'))?.password, 'password01');
  });
});
