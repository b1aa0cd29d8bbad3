import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createPasswordHasher, type PasswordHasher } from '../../src/auth/passwords.js';
import { loadConfig } from '../../src/config.js';
import { authenticate } from '../../src/domain/authenticate.js';
import { AppError } from '../../src/errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeTempDir } from '../support/temp-dir.js';

/** The real hasher, counting the Argon2 computations it runs (each verify or burn is one). */
async function countingHasher(): Promise<{ hasher: PasswordHasher; argon2Runs: () => number }> {
  const real = await createPasswordHasher(loadConfig({}).passwords);
  let runs = 0;
  return {
    argon2Runs: () => runs,
    hasher: {
      hash: (p) => real.hash(p),
      verify: (stored, p) => {
        runs++;
        return real.verify(stored, p);
      },
      burn: (p) => {
        runs++;
        return real.burn(p);
      },
    },
  };
}

describe('authenticate', () => {
  it('costs one Argon2 computation for an unknown user, a wrong password and a plain-text user alike', async (t) => {
    const dir = makeTempDir();
    const store = new SqliteStore(join(dir.path, 'db.sqlite'));
    t.after(async () => {
      await store.close();
      dir.remove();
    });
    const { hasher, argon2Runs } = await countingHasher();
    await store.users.create({ id: '1', username: 'hashed', password: await hasher.hash('right-password') });
    await store.users.create({ id: '2', username: 'legacy', password: 'right-password' });
    const sut = (u: string, p: string) => authenticate({ store, hasher, upgradeLegacyPasswords: false }, u, p);

    for (const [username, password] of [
      ['nobody', 'x'],
      ['hashed', 'wrong'],
      ['legacy', 'wrong'],
    ] as const) {
      const before = argon2Runs();
      await assert.rejects(
        sut(username, password),
        (err: unknown) => err instanceof AppError && err.kind === 'unauthenticated',
      );
      assert.equal(argon2Runs() - before, 1, `${username}: one Argon2 computation`);
    }
  });

  it('verifies a plain-text password with the same Argon2 work as a hashed one', async () => {
    const real = await createPasswordHasher(loadConfig({}).passwords);
    assert.equal(await real.verify('password01', 'password01'), true);
    assert.equal(await real.verify('password01', 'password02'), false);
    assert.equal(await real.verify(await real.hash('p'), 'p'), true);
    assert.equal(await real.verify('$argon2id$v=19$m=19456,t=2,p=1$broken', 'p'), false);
  });
});
