import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { makeStream } from '../support/streams.js';
import {
  b64url,
  nowSeconds,
  signRawToken,
  startTestApp,
  TEST_SECRET,
  type TestServer,
  fetch,
} from '../support/test-server.js';

const invalidToken = (description: string) => ({ status_code: 401, error: 'Invalid token', description });
const invalidHeader = (description: string) => ({ status_code: 401, error: 'Invalid JWT header', description });

describe('protected requests', () => {
  let sut: TestServer;
  let token: string;
  let dayUrl: string;

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    token = await sut.login('user01', 'password01');
    dayUrl = `${sut.url}/holodules/20201209`;
  });
  after(() => sut.close());

  const withHeader = (authorization: string | undefined) =>
    fetch(dayUrl, { headers: authorization === undefined ? {} : { authorization } });

  const claims = (overrides: Record<string, unknown> = {}) => {
    const iat = nowSeconds();
    return { exp: iat + 300, iat, nbf: iat, identity: 'user01', ...overrides };
  };

  describe('the Authorization header', () => {
    it('accepts the original JWT prefix', async () => {
      assert.equal((await withHeader(`JWT ${token}`)).status, 200);
    });
    it('accepts the prefix in any case and runs of whitespace between the parts', async () => {
      assert.equal((await withHeader(`jwt ${token}`)).status, 200);
      assert.equal((await withHeader(`JWT   ${token}`)).status, 200);
      assert.equal((await withHeader(`jWt \t ${token}  `)).status, 200);
    });
    it('accepts the standard Bearer prefix (RFC 6750)', async () => {
      assert.equal((await withHeader(`Bearer ${token}`)).status, 200);
    });

    it('when there is no header, then 401 Authorization Required with WWW-Authenticate', async () => {
      const res = await withHeader(undefined);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'JWT realm="Login Required"');
      assert.deepEqual(await res.json(), {
        status_code: 401,
        error: 'Authorization Required',
        description: 'Request does not contain an access token',
      });
    });
    it('when the header is empty or only spaces, then it is the same as no header', async () => {
      for (const value of ['', '   ']) {
        const res = await withHeader(value);
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('www-authenticate'), 'JWT realm="Login Required"');
        assert.equal(((await res.json()) as { error: string }).error, 'Authorization Required');
      }
    });

    const headerCases: Array<[string, string, object]> = [
      ['Basic x', 'Basic x', invalidHeader('Unsupported authorization type')],
      ['JWT alone', 'JWT', invalidHeader('Token missing')],
      ['Bearer alone', 'Bearer', invalidHeader('Token missing')],
      ['JWT a b', 'JWT a b', invalidHeader('Token contains spaces')],
      ['jwt x', 'jwt x', invalidToken('Malformed token')],
      ['JWT  x (two spaces)', 'JWT  x', invalidToken('Malformed token')],
    ];
    for (const [what, header, expected] of headerCases) {
      it(`when the header is "${what}", then 401 ${JSON.stringify(expected)}`, async () => {
        const res = await withHeader(header);
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('www-authenticate'), null);
        assert.deepEqual(await res.json(), expected);
      });
    }
  });

  describe('malicious and broken tokens', () => {
    const cases: Array<[string, () => string, string]> = [
      [
        'alg none without a signature',
        () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`,
        'The specified alg value is not allowed',
      ],
      [
        'alg None with the real signature',
        () => {
          const [, , sig] = token.split('.');
          return `${b64url({ alg: 'None', typ: 'JWT' })}.${b64url(claims())}.${sig}`;
        },
        'The specified alg value is not allowed',
      ],
      [
        'alg NONE without a signature',
        () => `${b64url({ alg: 'NONE' })}.${b64url(claims())}.`,
        'The specified alg value is not allowed',
      ],
      [
        'alg none with a bogus signature',
        () => `${b64url({ alg: 'none' })}.${b64url(claims())}.AAAA`,
        'The specified alg value is not allowed',
      ],
      [
        'HS256 signed with an RSA public key as the secret',
        () => {
          const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
          return signRawToken(claims(), publicKey.export({ type: 'spki', format: 'pem' }).toString());
        },
        'Signature verification failed',
      ],
      [
        'RS256 when HS256 is configured',
        () => {
          const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
          const input = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims())}`;
          const sig = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
          return `${input}.${sig}`;
        },
        'The specified alg value is not allowed',
      ],
      [
        'HS512 when HS256 is configured',
        () => signRawToken(claims(), TEST_SECRET, 'HS512'),
        'The specified alg value is not allowed',
      ],
      [
        'a tampered payload with the old signature',
        () => {
          const [header, , sig] = token.split('.');
          return `${header}.${b64url(claims({ identity: 'admin' }))}.${sig}`;
        },
        'Signature verification failed',
      ],
      [
        'a wrong secret',
        () => signRawToken(claims(), 'another-secret-that-is-long-enough-to-use'),
        'Signature verification failed',
      ],
      ['1 segment', () => 'abc', 'Malformed token'],
      ['2 segments', () => token.split('.').slice(0, 2).join('.'), 'Malformed token'],
      ['4 segments', () => `${token}.extra`, 'Malformed token'],
      [
        'a payload that is not JSON',
        () => {
          const [header, , sig] = token.split('.');
          return `${header}.${b64url('not json')}.${sig}`;
        },
        'Malformed token',
      ],
      [
        'a payload that is a JSON array, correctly signed',
        () => signRawToken([1, 2], TEST_SECRET),
        'Invalid payload string: must be a json object',
      ],
      ['no exp claim', () => signRawToken(claims({ exp: undefined }), TEST_SECRET), 'Token is missing the "exp" claim'],
      ['no iat claim', () => signRawToken(claims({ iat: undefined }), TEST_SECRET), 'Token is missing the "iat" claim'],
      ['no nbf claim', () => signRawToken(claims({ nbf: undefined }), TEST_SECRET), 'Token is missing the "nbf" claim'],
      [
        'no identity claim',
        () => signRawToken(claims({ identity: undefined }), TEST_SECRET),
        'Token is missing the "identity" claim',
      ],
      [
        'exp as a string',
        () => signRawToken(claims({ exp: String(nowSeconds() + 300) }), TEST_SECRET),
        'The "exp" claim must be a number',
      ],
      [
        'nbf as a string',
        () => signRawToken(claims({ nbf: String(nowSeconds()) }), TEST_SECRET),
        'The "nbf" claim must be a number',
      ],
      [
        'an expired token',
        () =>
          signRawToken(
            claims({ iat: nowSeconds() - 400, nbf: nowSeconds() - 400, exp: nowSeconds() - 60 }),
            TEST_SECRET,
          ),
        'Signature has expired',
      ],
      [
        'a token that is not yet valid',
        () => signRawToken(claims({ nbf: nowSeconds() + 120 }), TEST_SECRET),
        'The token is not yet valid (nbf)',
      ],
    ];
    for (const [what, make, description] of cases) {
      it(`refuses ${what}: 401 Invalid token, "${description}"`, async () => {
        const res = await withHeader(`JWT ${make()}`);
        assert.equal(res.status, 401);
        assert.deepEqual(await res.json(), invalidToken(description));
      });
    }

    // A 100 kB token is refused by Node's HTTP parser, on a real socket: http-parser-refusals.test.ts.

    it('refuses a valid token whose user has been removed: 401 Invalid JWT, User does not exist', async () => {
      await sut.addUser('leaving', 'password01');
      const leavingToken = await sut.login('leaving', 'password01');
      assert.equal((await withHeader(`JWT ${leavingToken}`)).status, 200);
      await sut.store.users.remove('leaving');
      const res = await withHeader(`JWT ${leavingToken}`);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        status_code: 401,
        error: 'Invalid JWT',
        description: 'User does not exist',
      });
    });
  });
});

describe('JWT_LEEWAY', () => {
  it('when set, then a token expired less than the leeway ago is still accepted, and one beyond it is not', async (t) => {
    const sut = await startTestApp({ JWT_LEEWAY: '120' });
    t.after(() => sut.close());
    // The original's tokens name a username: the user must have existed when they were issued.
    await sut.addUser('user01', 'password01', { createdAt: Date.now() - 3600_000 });
    await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
    const now = nowSeconds();
    const recent = signRawToken({ exp: now - 60, iat: now - 400, nbf: now - 400, identity: 'user01' }, TEST_SECRET);
    const old = signRawToken({ exp: now - 600, iat: now - 900, nbf: now - 900, identity: 'user01' }, TEST_SECRET);
    const get = (t: string) => fetch(`${sut.url}/holodules/20201209`, { headers: { authorization: `JWT ${t}` } });
    assert.equal((await get(recent)).status, 200);
    assert.equal((await get(old)).status, 401);
  });
});
