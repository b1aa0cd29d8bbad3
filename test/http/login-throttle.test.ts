import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { checkLoginAllowed, recordLoginFailure, recordLoginSuccess } from '../../src/domain/login-throttle.js';
import { AppError } from '../../src/errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { call, startTestServer } from '../support/test-server.js';

const login = (url: string, username: string, password: string) =>
  call(`${url}/auth`, 'POST', { body: { username, password } });

describe('login throttling over HTTP', () => {
  it('after 5 failures for an account, the next attempt gets 429 with Retry-After, even with the right password', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    for (let i = 0; i < 5; i++) assert.equal((await login(sut.url, 'user01', 'wrong')).status, 401);

    const res = await login(sut.url, 'user01', 'password01');
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.deepEqual(Object.keys(res.body), ['status_code', 'error', 'description']);
    assert.equal(res.body.error, 'Too Many Requests');
    assert.match(res.body.description, /^Too many failed logins; try again in \d+ seconds$/);
  });

  it('throttles one client address that tries many accounts', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ADDRESS_FAILURES: '4' });
    t.after(() => sut.close());
    for (let i = 0; i < 4; i++) assert.equal((await login(sut.url, `guess${i}`, 'x')).status, 401);
    const res = await login(sut.url, 'someone-else', 'x');
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('shares the counters between instances on one store', async (t) => {
    const first = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '3' });
    t.after(() => first.close());
    const second = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '3' }, { dataDir: first.dataDir });
    t.after(() => second.server.close());
    await first.addUser('user01', 'password01');
    await login(first.url, 'user01', 'wrong');
    await login(second.url, 'user01', 'wrong');
    await login(first.url, 'user01', 'wrong');
    assert.equal((await login(second.url, 'user01', 'password01')).status, 429);
  });

  it('logs every login success and failure as an audit event, never the password', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    await login(sut.url, 'user01', 'not-the-password');
    await login(sut.url, 'user01', 'password01');
    const events = sut.logs.filter((l) => l.event === 'auth.login');
    assert.deepEqual(
      events.map((e) => [e.username, e.outcome]),
      [
        ['user01', 'failure'],
        ['user01', 'success'],
      ],
    );
    assert.ok(events.every((e) => typeof e.ip === 'string'));
    const all = JSON.stringify(sut.logs);
    assert.ok(!all.includes('not-the-password') && !all.includes('password01'), 'no password in any log line');
  });
});

describe('login throttle delays', () => {
  it('grow with each failure past the limit, are capped, and a success resets them', async (t) => {
    const dir = makeTempDir();
    const store = new SqliteStore(join(dir.path, 'db.sqlite'));
    t.after(async () => {
      await store.close();
      dir.remove();
    });
    let now = 1_000_000_000;
    const limits = { ...loadConfig({}).throttle, accountFailures: 2, maxDelaySeconds: 8 };
    const deps = { store, limits, now: () => now };
    const retryAfter = async () => {
      try {
        await checkLoginAllowed(deps, 'user01', '10.0.0.1');
        return 0;
      } catch (err) {
        assert.ok(err instanceof AppError && err.status === 429);
        return Number(err.headers['retry-after']);
      }
    };

    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      delays.push(await retryAfter());
      now += delays.at(-1)! * 1000;
      await recordLoginFailure(deps, 'user01', '10.0.0.1');
    }
    delays.push(await retryAfter());
    assert.deepEqual(delays, [0, 0, 1, 2, 4, 8, 8, 8]);

    await recordLoginSuccess(deps, 'user01');
    assert.equal(await retryAfter(), 0);
  });
});
