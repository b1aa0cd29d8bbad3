import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { createSigner, createVerifier } from 'fast-jwt';
import { rotateSigningKey } from '../../src/auth/keyring.js';
import { decode } from '../support/jwt-decode.js';
import { makeStream } from '../support/streams.js';
import { b64url, call, nowSeconds, startTestApp, TEST_SECRET, type TestServer } from '../support/test-server.js';

async function serverWithUser(t: { after: (fn: () => Promise<void>) => void }, env: Record<string, string> = {}) {
  const sut = await startTestApp(env);
  t.after(() => sut.close());
  await sut.addUser('user01', 'password01');
  await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
  return sut;
}
const day = (sut: TestServer, token: string) => call(`${sut.url}/holodules/20201209`, 'GET', { token });
const claims = () => {
  const iat = nowSeconds();
  return { exp: iat + 300, iat, nbf: iat, identity: 'user01', type: 'access' };
};

describe('key rotation', () => {
  it('after a rotation, new tokens carry the new kid and tokens signed with the old key stay valid', async (t) => {
    const sut = await serverWithUser(t);
    const before = await sut.login('user01', 'password01');

    const key = await rotateSigningKey(sut.store, sut.config.jwt);
    await sut.server.app.keyring.reload();
    const afterRotation = await sut.login('user01', 'password01');

    assert.equal(decode(afterRotation).header.kid, key.kid);
    assert.notEqual(decode(before).header.kid, key.kid);
    assert.equal((await day(sut, before)).status, 200);
    assert.equal((await day(sut, afterRotation)).status, 200);
  });

  it('another instance on the same store accepts a token signed with a key it has not loaded yet', async (t) => {
    const first = await serverWithUser(t);
    const second = await startTestApp({}, { dataDir: first.dataDir });
    t.after(() => second.server.close());
    await rotateSigningKey(first.store, first.config.jwt);
    await first.server.app.keyring.reload();
    const token = await first.login('user01', 'password01');
    assert.equal((await day(second, token)).status, 200);
  });

  it('refuses a token whose kid is unknown, and never uses a kid as a path', async (t) => {
    const sut = await serverWithUser(t);
    for (const kid of ['no-such-key', '../../../../etc/passwd', "x' OR '1'='1"]) {
      const token = createSigner({ key: TEST_SECRET, algorithm: 'HS256', kid, noTimestamp: true })(claims());
      const res = await day(sut, token);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { status_code: 401, error: 'Invalid token', description: 'Unknown key id' });
    }
  });

  it('lists keys and rotates them from the CLI store functions without touching tokens of other users', async (t) => {
    const sut = await serverWithUser(t);
    await rotateSigningKey(sut.store, sut.config.jwt);
    await rotateSigningKey(sut.store, sut.config.jwt);
    const keys = await sut.store.auth.listKeys();
    assert.equal(keys.length, 2);
    assert.equal(keys.filter((k) => k.retiredAt === null).length, 1, 'exactly one key signs');
    assert.ok(
      keys.every((k) => k.retiredAt === null || (k.expiresAt ?? 0) > Date.now()),
      'retired keys verify until expiry',
    );
  });
});

for (const algorithm of ['EdDSA', 'ES256'] as const) {
  describe(`asymmetric signing with ${algorithm}`, () => {
    it('signs with a key from the store, and another service verifies the token with only the JWKS', async (t) => {
      const sut = await serverWithUser(t, { JWT_ALGORITHM: algorithm });
      const token = await sut.login('user01', 'password01');
      const { header } = decode(token);
      assert.equal(header.alg, algorithm);

      const jwks = await call(`${sut.url}/.well-known/jwks.json`, 'GET');
      assert.equal(jwks.status, 200);
      const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === header.kid);
      assert.ok(jwk, 'the JWKS has the key the token names');
      assert.equal(jwk.d, undefined, 'no private part is published');
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
      const verified = createVerifier({ key: publicKey, algorithms: [algorithm] })(token) as { identity: string };
      assert.equal(verified.identity, 'user01');
      assert.equal((await day(sut, token)).status, 200);
    });
  });
}

describe('hostile JWS headers', () => {
  it('never trusts a key embedded in the token (jwk): a token signed by another key is refused', async (t) => {
    const sut = await serverWithUser(t, { JWT_ALGORITHM: 'EdDSA' });
    const ours = decode(await sut.login('user01', 'password01')).header.kid as string;
    const attacker = generateKeyPairSync('ed25519');
    const token = createSigner({
      key: attacker.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      algorithm: 'EdDSA',
      kid: ours,
      header: { alg: 'EdDSA', jwk: attacker.publicKey.export({ format: 'jwk' }) },
      noTimestamp: true,
    })(claims());
    const res = await day(sut, token);
    assert.equal(res.status, 401);
    assert.equal(res.body.description, 'Signature verification failed');
  });

  it('never fetches a key from jku or x5u', async (t) => {
    let fetched = 0;
    const trap = createServer((_req, res) => {
      fetched++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => trap.close(() => resolve())));
    const trapUrl = `http://127.0.0.1:${(trap.address() as { port: number }).port}/jwks.json`;

    const sut = await serverWithUser(t, { JWT_ALGORITHM: 'EdDSA' });
    const ours = decode(await sut.login('user01', 'password01')).header.kid as string;
    const attacker = generateKeyPairSync('ed25519');
    for (const header of [{ jku: trapUrl }, { x5u: trapUrl }, { jku: trapUrl, kid: 'attacker-key' }]) {
      const token = createSigner({
        key: attacker.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        algorithm: 'EdDSA',
        kid: ours,
        header: { ...header, alg: 'EdDSA' },
        noTimestamp: true,
      })(claims());
      assert.equal((await day(sut, token)).status, 401);
    }
    assert.equal(fetched, 0);
  });

  it('refuses a token with a crit header it does not understand', async (t) => {
    const sut = await serverWithUser(t);
    const token = createSigner({
      key: TEST_SECRET,
      algorithm: 'HS256',
      header: { alg: 'HS256', crit: ['exp'], exp: 1 },
      noTimestamp: true,
    })(claims());
    const res = await day(sut, token);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'Invalid token');
    const unknown = createSigner({
      key: TEST_SECRET,
      algorithm: 'HS256',
      header: { alg: 'HS256', crit: ['b64'], b64: false },
      noTimestamp: true,
    })(claims());
    assert.equal((await day(sut, unknown)).status, 401);
  });

  it('refuses a kid that is not a string', async (t) => {
    const sut = await serverWithUser(t);
    const input = `${b64url({ alg: 'HS256', kid: { $ne: null } })}.${b64url(claims())}`;
    const res = await day(sut, `${input}.c2lnbmF0dXJl`);
    assert.equal(res.status, 401);
    assert.equal(res.body.description, 'Malformed token');
  });
});

describe('issuer and audience', () => {
  it('when set, then tokens carry them and a token without or with another one is refused', async (t) => {
    const sut = await serverWithUser(t, {
      HOLODULE_JWT_ISSUER: 'https://holodule.example',
      HOLODULE_JWT_AUDIENCE: 'holodule-api',
    });
    const token = await sut.login('user01', 'password01');
    assert.equal(decode(token).payload.iss, 'https://holodule.example');
    assert.equal(decode(token).payload.aud, 'holodule-api');
    assert.equal((await day(sut, token)).status, 200);

    const noIss = sut.signRaw({ ...claims(), aud: 'holodule-api' });
    assert.equal((await day(sut, noIss)).body.description, 'Token is missing the "iss" claim');
    const otherAud = sut.signRaw({ ...claims(), iss: 'https://holodule.example', aud: 'someone-else' });
    assert.equal((await day(sut, otherAud)).body.description, 'Invalid audience');
  });
});
