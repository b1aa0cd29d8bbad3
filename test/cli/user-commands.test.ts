import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPasswordHash } from '../../src/auth/passwords.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

function setup(t: { after: (fn: () => void) => void }) {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  const env = { HOLODULE_DATA_DIR: dir.path, HOLODULE_SAMPLE_DATA: 'false' };
  const readUser = async (name: string) => {
    const store = new SqliteStore(join(dir.path, 'holodule.sqlite'));
    try {
      return await store.users.findByUsername(name);
    } finally {
      await store.close();
    }
  };
  return { env, readUser };
}

describe('holodule user', () => {
  it('adds a user with the password from stdin, hashed with Argon2id', async (t) => {
    const { env, readUser } = setup(t);
    const sut = await runCli(['user', 'add', 'user01'], { env, stdin: 'password01\n' });
    assert.equal(sut.code, 0, sut.stderr);
    assert.match(sut.stdout, /added user user01/);
    const user = await readUser('user01');
    assert.ok(user && isPasswordHash(user.password));
    assert.ok(!user.password.includes('password01'));
  });

  it('never takes the password from argv', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['user', 'add', 'user01', 'password01'], { env });
    assert.equal(sut.code, 2);
    assert.match(sut.stderr, /unexpected arguments/);
  });

  it('refuses a second user of the same name, and a too-short password', async (t) => {
    const { env } = setup(t);
    await runCli(['user', 'add', 'user01'], { env, stdin: 'password01\n' });
    const again = await runCli(['user', 'add', 'user01'], { env, stdin: 'password02\n' });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    const short = await runCli(['user', 'add', 'user02'], { env, stdin: 'short\n' });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 8 characters/);
  });

  it('lists users without their passwords, marking plain-text ones', async (t) => {
    const { env } = setup(t);
    await runCli(['user', 'add', 'user01'], { env, stdin: 'password01\n' });
    await runCli(['import', '-'], {
      env,
      stdin: '{"_id":{"$oid":"5fd0c1e2a1b2c3d4e5f60718"},"id":"2","username":"legacy","password":"plain-pass"}\n',
    });
    const sut = await runCli(['user', 'list'], { env });
    assert.equal(sut.code, 0, sut.stderr);
    assert.match(sut.stdout, /^legacy\tid=2\trole=user\tpassword=plain-text$/m);
    assert.match(sut.stdout, /^user01\tid=[0-9a-f-]{36}\trole=user\tpassword=argon2id$/m);
    assert.doesNotMatch(sut.stdout, /plain-pass|\$argon2/);
  });

  it('changes a password, after which the stored hash is a new one', async (t) => {
    const { env, readUser } = setup(t);
    await runCli(['user', 'add', 'user01'], { env, stdin: 'password01\n' });
    const before = (await readUser('user01'))?.password;
    const sut = await runCli(['user', 'passwd', 'user01'], { env, stdin: 'another-password\n' });
    assert.equal(sut.code, 0, sut.stderr);
    const after = (await readUser('user01'))?.password;
    assert.ok(after && after !== before && isPasswordHash(after));
    const missing = await runCli(['user', 'passwd', 'nobody'], { env, stdin: 'another-password\n' });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no user "nobody"/);
  });

  it('removes a user, and says so when there is none', async (t) => {
    const { env, readUser } = setup(t);
    await runCli(['user', 'add', 'user01'], { env, stdin: 'password01\n' });
    assert.equal((await runCli(['user', 'remove', 'user01'], { env })).code, 0);
    assert.equal(await readUser('user01'), null);
    const again = await runCli(['user', 'remove', 'user01'], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no user "user01"/);
  });
});

describe('holodule with a bad setting', () => {
  it('stops with one line naming the variable, and exit code 78', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['user', 'list'], { env: { ...env, JWT_LEEWAY: 'soon' } });
    assert.equal(sut.code, 78);
    assert.equal(sut.stderr.trim().split('\n').length, 1);
    assert.match(sut.stderr, /^holodule: configuration error: JWT_LEEWAY: expected a whole number, got "soon"$/m);
  });

  it('refuses to serve with a weak secret, naming JWT_SECRET_KEY', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['serve'], { env: { ...env, JWT_SECRET_KEY: 'secret', PORT: '0' } });
    assert.equal(sut.code, 78);
    assert.match(sut.stderr, /JWT_SECRET_KEY: is 6 bytes; an HS256 key needs at least 32/);
    assert.doesNotMatch(sut.stderr, /\n\s+at /);
  });

  it('answers an unknown command with usage and exit code 2', async (t) => {
    const { env } = setup(t);
    const sut = await runCli(['frobnicate'], { env });
    assert.equal(sut.code, 2);
    assert.match(sut.stderr, /unknown command "frobnicate"/);
  });
});
