// HOLODULE_TRUST_PROXY over real sockets: on Linux all of 127.0.0.0/8 is loopback, so a client can
// connect from 127.0.0.2 (a "proxy") or 127.0.0.1 (a client reaching holodule directly).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestServer, TEST_SECRET, type TestServer } from '../support/test-server.js';

const PROXY = '127.0.0.2';
const DIRECT = '127.0.0.1';

/** POST /auth with a wrong password from `localAddress`, with `forwardedFor` as X-Forwarded-For if given. */
function guessFrom(sut: TestServer, localAddress: string, username: string, forwardedFor?: string): Promise<number> {
  const body = JSON.stringify({ username, password: 'wrong-password' });
  return new Promise((resolve, reject) => {
    const req = request(
      `${sut.url}/auth`,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The client address the audit log recorded for each failed login of `username`. */
const auditedAddresses = (sut: TestServer, username: string) =>
  sut.logs.filter((l) => l.event === 'auth.login' && l.username === username).map((l) => l.ip);

describe('HOLODULE_TRUST_PROXY with a proxy address', () => {
  it('ignores X-Forwarded-For from an untrusted address: the throttle and the audit log see the socket address', async (t) => {
    const sut = await startTestServer({ HOLODULE_TRUST_PROXY: PROXY, HOLODULE_LOGIN_ADDRESS_FAILURES: '2' });
    t.after(() => sut.close());

    assert.equal(await guessFrom(sut, DIRECT, 'guess1', '203.0.113.1'), 401);
    assert.equal(await guessFrom(sut, DIRECT, 'guess2', '203.0.113.2'), 401);
    // A third "address" of its own choosing does not buy the client a fresh budget.
    assert.equal(await guessFrom(sut, DIRECT, 'guess3', '203.0.113.3'), 429);

    assert.deepEqual(
      ['guess1', 'guess2', 'guess3'].flatMap((u) => auditedAddresses(sut, u)),
      [DIRECT, DIRECT, DIRECT],
    );
  });

  it('believes a trusted proxy: the right-most untrusted hop of X-Forwarded-For is the client, with its own budget', async (t) => {
    const sut = await startTestServer({ HOLODULE_TRUST_PROXY: PROXY, HOLODULE_LOGIN_ADDRESS_FAILURES: '2' });
    t.after(() => sut.close());

    assert.equal(await guessFrom(sut, PROXY, 'a1', '203.0.113.7'), 401);
    // What the client wrote itself (left of what the proxy appended) is not the client's address.
    assert.equal(await guessFrom(sut, PROXY, 'a2', '198.51.100.1, 203.0.113.7'), 401);
    assert.equal(await guessFrom(sut, PROXY, 'a3', '198.51.100.2, 203.0.113.7'), 429, '203.0.113.7 has had its 2');
    // A trusted hop in the chain (a second proxy at 127.0.0.2) is skipped.
    assert.equal(await guessFrom(sut, PROXY, 'a4', `203.0.113.7, ${PROXY}`), 429);
    // Another client behind the proxy, and one reaching holodule directly, each have their own budget.
    assert.equal(await guessFrom(sut, PROXY, 'b1', '203.0.113.8'), 401);
    assert.equal(await guessFrom(sut, DIRECT, 'c1', '203.0.113.7'), 401);

    assert.deepEqual(
      ['a1', 'a2', 'a3', 'a4', 'b1', 'c1'].flatMap((u) => auditedAddresses(sut, u)),
      ['203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.7', '203.0.113.8', DIRECT],
    );
  });

  it('trusts nobody by default: X-Forwarded-For from any address is ignored', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ADDRESS_FAILURES: '1' });
    t.after(() => sut.close());
    assert.equal(await guessFrom(sut, PROXY, 'guess1', '203.0.113.1'), 401);
    assert.equal(await guessFrom(sut, PROXY, 'guess2', '203.0.113.2'), 429);
    assert.deepEqual(auditedAddresses(sut, 'guess1'), [PROXY]);
  });
});

describe('HOLODULE_TRUST_PROXY=true', () => {
  it('still works, and warns at start-up that any client can then pick its own address', async (t) => {
    const sut = await startTestServer({ HOLODULE_TRUST_PROXY: 'true', HOLODULE_LOGIN_ADDRESS_FAILURES: '1' });
    t.after(() => sut.close());
    const warning = sut.logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('HOLODULE_TRUST_PROXY=true'));
    assert.ok(warning, 'a start-up warning');
    assert.equal(warning.level, 40);
    assert.match(String(warning.msg), /any client can then pick its own address/);

    // Which is what the warning is about: each spoofed address gets a fresh budget.
    assert.equal(await guessFrom(sut, DIRECT, 'guess1', '203.0.113.1'), 401);
    assert.equal(await guessFrom(sut, DIRECT, 'guess2', '203.0.113.2'), 401);
    assert.deepEqual(auditedAddresses(sut, 'guess2'), ['203.0.113.2']);
  });

  it('gives no warning for a list of addresses or for false', async (t) => {
    for (const value of ['127.0.0.2, 10.0.0.0/8', 'false']) {
      const sut = await startTestServer({ HOLODULE_TRUST_PROXY: value });
      t.after(() => sut.close());
      assert.ok(!sut.logs.some((l) => String(l.msg).includes('HOLODULE_TRUST_PROXY')), value);
    }
  });
});

describe('holodule serve with a bad HOLODULE_TRUST_PROXY', () => {
  it('stops with one line naming the variable and the bad entry, and exit code 78', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const sut = await runCli(['serve'], {
      env: {
        HOLODULE_DATA_DIR: dir.path,
        JWT_SECRET_KEY: TEST_SECRET,
        PORT: '0',
        HOLODULE_TRUST_PROXY: '10.0.0.1, 10.0.0.0/33',
      },
    });
    assert.equal(sut.code, 78);
    assert.equal(sut.stderr.trim().split('\n').length, 1);
    assert.match(
      sut.stderr,
      /^holodule: configuration error: HOLODULE_TRUST_PROXY: expected proxy addresses or CIDR ranges .*"10\.0\.0\.0\/33" is none of these$/m,
    );
  });
});
