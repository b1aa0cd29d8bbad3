import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, withDotEnv } from '../../src/config.js';
import { makeTempDir } from '../support/temp-dir.js';

const refuses = (env: Record<string, string>, variable: string, message: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.variable === variable &&
      message.test(err.message) &&
      !err.message.includes('\n'),
  );

describe('config', () => {
  it('defaults to the original port 5000, the embedded store in ./data and the original JWT settings', () => {
    const sut = loadConfig({});
    assert.equal(sut.port, 5000);
    assert.equal(sut.store, 'sqlite');
    assert.match(sut.dataDir, /\/data$/);
    assert.deepEqual(
      { ...sut.jwt, secret: undefined },
      {
        secret: undefined,
        allowWeakSecret: false,
        algorithm: 'HS256',
        leewaySeconds: 0,
        expirationSeconds: 300,
        notBeforeSeconds: 0,
        authUrlRule: '/auth',
        refreshExpirationSeconds: 14 * 86400,
        issuer: undefined,
        audience: undefined,
        keysRefreshSeconds: 30,
      },
    );
    assert.deepEqual(
      { m: sut.passwords.argon2MemoryKiB, t: sut.passwords.argon2Iterations, p: sut.passwords.argon2Parallelism },
      { m: 19456, t: 2, p: 1 },
    );
  });

  it("accepts the original's names", () => {
    const sut = loadConfig({
      JWT_SECRET_KEY: 's'.repeat(40),
      JWT_ALGORITHM: 'hs512',
      JWT_LEEWAY: '10',
      JWT_EXPIRATION_DELTA: '600',
      JWT_NOT_BEFORE_DELTA: '2',
      JWT_AUTH_URL_RULE: '/signin',
      PORT: '8080',
    });
    assert.equal(sut.jwt.algorithm, 'HS512');
    assert.deepEqual([sut.jwt.leewaySeconds, sut.jwt.expirationSeconds, sut.jwt.notBeforeSeconds], [10, 600, 2]);
    assert.equal(sut.jwt.authUrlRule, '/signin');
    assert.equal(sut.port, 8080);
  });

  it('refuses a JWT_SECRET_KEY shorter than 32 bytes unless HOLODULE_ALLOW_WEAK_SECRET is set', () => {
    refuses({ JWT_SECRET_KEY: 'short' }, 'JWT_SECRET_KEY', /at least 32/);
    assert.equal(loadConfig({ JWT_SECRET_KEY: 'short', HOLODULE_ALLOW_WEAK_SECRET: 'true' }).jwt.secret, 'short');
  });

  it('names the variable and the problem in one line for each invalid value', () => {
    refuses({ PORT: 'eighty' }, 'PORT', /whole number/);
    refuses({ PORT: '70000' }, 'PORT', /0\.\.65535/);
    refuses({ JWT_ALGORITHM: 'none' }, 'JWT_ALGORITHM', /HS256/);
    refuses({ JWT_ALGORITHM: 'RS256' }, 'JWT_ALGORITHM', /HS256, HS384, HS512, EdDSA, ES256/);
    refuses({ JWT_LEEWAY: '-1' }, 'JWT_LEEWAY', /0\.\./);
    refuses({ JWT_EXPIRATION_DELTA: '0' }, 'JWT_EXPIRATION_DELTA', /1\.\./);
    refuses({ JWT_AUTH_URL_RULE: 'auth' }, 'JWT_AUTH_URL_RULE', /path/);
    refuses({ HOLODULE_STORE: 'postgres' }, 'HOLODULE_STORE', /sqlite, mongodb/);
    refuses({ HOLODULE_SAMPLE_DATA: 'maybe' }, 'HOLODULE_SAMPLE_DATA', /true or false/);
    refuses({ HOLODULE_ARGON2_MEMORY_KIB: '4096' }, 'HOLODULE_ARGON2_MEMORY_KIB', /19456/);
  });

  it('reads a .env file, and the environment wins over it', () => {
    const dir = makeTempDir();
    try {
      writeFileSync(join(dir.path, '.env'), 'PORT=6000\nJWT_LEEWAY=5\n');
      const sut = loadConfig(withDotEnv({ JWT_LEEWAY: '7' }, dir.path));
      assert.equal(sut.port, 6000);
      assert.equal(sut.jwt.leewaySeconds, 7);
    } finally {
      dir.remove();
    }
  });
});
