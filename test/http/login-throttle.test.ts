import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { loadConfig, type Config } from '../../src/config.js';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { createLoginThrottle, throttleKeys } from '../../src/domain/login-throttle.js';
import { AppError } from '../../src/errors.js';
import { AUTH_COLLECTIONS } from '../../src/store/mongo/mongo-auth.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { testMongo } from '../support/mongo-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { call, startTestServer, TEST_STORE, type TestServer } from '../support/test-server.js';

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

describe('login throttle under a burst', () => {
  it('when 100 wrong guesses for one account arrive at once, then only the account limit of them are checked and the rest get 429', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '5' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');

    const { statuses, elapsedMs, answers } = await burst(100, () => login(sut.url, 'user01', 'wrong'));

    assertCheckedOrRefused(statuses);
    const checked = count(statuses, 401);
    t.diagnostic(`${checked} of 100 guesses checked (401), ${count(statuses, 429)} refused (429), in ${elapsedMs} ms`);
    // Strictly 5 unless the burst outlasts the growing delays the policy grants (1 s, then 2 s more, …).
    assert.ok(checked >= 5 && checked <= 5 + delaysElapsed(elapsedMs), `${checked} guesses checked in ${elapsedMs} ms`);
    assert.equal(failuresLogged(sut, 'user01'), checked, 'one password check per 401');
    assert.ok(answers.filter((a) => a.status === 429).every((a) => Number(a.headers.get('retry-after')) >= 1));
  });

  it('when 100 guesses at different accounts come from one address at once, then only the address cap of them are checked', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ADDRESS_FAILURES: '4' });
    t.after(() => sut.close());

    const { statuses } = await burst(100, (i) => login(sut.url, `guess${i}`, 'wrong'));

    assert.equal(count(statuses, 401), 4);
    assertCheckedOrRefused(statuses);
    assert.equal(sut.logs.filter((l) => l.event === 'auth.login' && l.outcome === 'failure').length, 4);
  });

  it('once the account is over its limit, a burst that includes the right password gets 429 for every attempt, the right one too', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '5' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    // Arrange: ten failures past the limit, the latest just now (as the throttle counts them in the store).
    const now = Date.now();
    await sut.store.auth.swapLoginCounter(throttleKeys.account('user01'), null, {
      count: 15,
      windowStart: now,
      lastAt: now,
    });

    const { statuses } = await burst(50, (i) => login(sut.url, 'user01', i === 25 ? 'password01' : 'wrong'));

    assert.equal(count(statuses, 429), 50);
    assert.equal(failuresLogged(sut, 'user01'), 0, 'no password was checked');
  });

  it('when the right password comes in a burst of wrong ones, it gets in at most once, and a success starts the count afresh', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '3' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');

    const { statuses, elapsedMs } = await burst(40, (i) => login(sut.url, 'user01', i === 20 ? 'password01' : 'wrong'));

    const checked = count(statuses, 401);
    t.diagnostic(`${checked} wrong and ${count(statuses, 200)} right checked of 40, in ${elapsedMs} ms`);
    assert.ok(count(statuses, 200) <= 1);
    // Up to the limit before the success (it included) and the limit after it.
    assert.ok(checked <= 3 - 1 + 3 + delaysElapsed(elapsedMs), `${checked} checked in ${elapsedMs} ms`);
    assert.equal(count(statuses, 200) + checked + count(statuses, 429), 40);
  });

  it('lets many parallel logins with the right password for one account all in: in flight is not failed', async (t) => {
    const sut = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '2', HOLODULE_LOGIN_ADDRESS_FAILURES: '3' });
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');

    const { statuses } = await burst(30, () => login(sut.url, 'user01', 'password01'));

    assert.equal(count(statuses, 200), 30);
  });
});

describe('login throttle across instances', () => {
  it('when a burst of wrong guesses is split over two instances on one store, then only the account limit of them are checked', async (t) => {
    const first = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '5' });
    t.after(() => first.close());
    const second = await startTestServer({ HOLODULE_LOGIN_ACCOUNT_FAILURES: '5' }, { dataDir: first.dataDir });
    t.after(() => second.server.close());
    await first.addUser('user01', 'password01');

    const { statuses, elapsedMs } = await burst(100, (i) => login((i % 2 ? first : second).url, 'user01', 'wrong'));

    const checked = count(statuses, 401);
    t.diagnostic(`${checked} of 100 guesses checked (401) over two instances, in ${elapsedMs} ms`);
    assertCheckedOrRefused(statuses);
    // MongoDB applies each compare-and-set atomically, so the limit holds across instances. FerretDB 1.x does
    // not (it reads, then writes back by _id): two instances can both win from the same count, and a late
    // write can undo another's, so it cannot show the strict count. Seen on it: 5 to 10 of 100; the bound
    // below only says the throttle still holds the burst back (docs/mongodb.md, docs/login-throttle.md).
    const limit = (await isFerretDb()) ? 5 * 4 : 5;
    assert.ok(
      checked >= 5 && checked <= limit + delaysElapsed(elapsedMs),
      `${checked} guesses checked in ${elapsedMs} ms`,
    );
  });
});

describe('login throttle on a store fault', () => {
  it('fails closed: a counter it cannot read is a 503 in the contract shape, the right password does not get in, and it recovers when the counter is sound', async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    const fault = await corruptCounter(sut, throttleKeys.account('user01'));

    const res = await login(sut.url, 'user01', 'password01');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { error: 'Service Unavailable' });
    assert.equal(failuresLogged(sut, 'user01'), 0);
    assert.ok(sut.logs.some((l) => l.event === 'auth.login' && l.outcome === 'unavailable'));

    await fault.repair();
    assert.equal((await login(sut.url, 'user01', 'password01')).status, 200);
  });

  it('fails closed when the store cannot write a counter: 503, never a password check', {
    skip: TEST_STORE === 'sqlite' ? false : 'SQLite only: a trigger makes its counter writes fail',
  }, async (t) => {
    const sut = await startTestServer();
    t.after(() => sut.close());
    await sut.addUser('user01', 'password01');
    const db = new Database(sut.config.sqlitePath);
    t.after(() => db.close());
    // A write the disk refuses, for the throttle's counters only (the users table keeps working).
    db.exec(`CREATE TRIGGER no_insert BEFORE INSERT ON login_failures BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;
             CREATE TRIGGER no_update BEFORE UPDATE ON login_failures BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);

    const answers = await Promise.all([login(sut.url, 'user01', 'password01'), login(sut.url, 'user01', 'wrong')]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [503, 503],
    );
    assert.deepEqual(answers[0]!.body, { error: 'Service Unavailable' });
    assert.equal(failuresLogged(sut, 'user01'), 0);

    db.exec('DROP TRIGGER no_insert; DROP TRIGGER no_update;');
    assert.equal((await login(sut.url, 'user01', 'password01')).status, 200);
  });
});

/** Whether the MongoDB this run tests on is FerretDB (its buildInfo says so). */
async function isFerretDb(): Promise<boolean> {
  if (TEST_STORE !== 'mongodb') return false;
  const client = await MongoClient.connect((await testMongo())!.url);
  try {
    return 'ferretdbVersion' in (await client.db('admin').command({ buildInfo: 1 }));
  } finally {
    await client.close();
  }
}

type Answer = Awaited<ReturnType<typeof login>>;

/** Sends `n` requests at once and waits for all their answers. */
async function burst(n: number, send: (i: number) => Promise<Answer>) {
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
  return { answers, statuses: answers.map((a) => a.status), elapsedMs: Math.ceil(performance.now() - started) };
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/**
 * Every answer of a burst of wrong guesses is a checked guess (401) or a refusal: 429, or 503 when the store
 * could not count in time (the throttle fails closed; a slow FerretDB on a loaded machine does that). Never 200.
 */
function assertCheckedOrRefused(statuses: number[]): void {
  assert.ok(count(statuses, 429) > 0, 'the burst was throttled');
  assert.deepEqual(
    statuses.filter((s) => s !== 401 && s !== 429 && s !== 503),
    [],
    'only 401, 429 or 503',
  );
}

/** How many of the throttle's delays (1 s, 2 s, 4 s …) could have run out within `ms`: each lets one more attempt in. */
const delaysElapsed = (ms: number) => Math.floor(Math.log2(ms / 1000 + 1));

const failuresLogged = (sut: TestServer, username: string) =>
  sut.logs.filter((l) => l.event === 'auth.login' && l.outcome === 'failure' && l.username === username).length;

/** Writes a counter the store cannot make sense of (a count that is not a number), and how to undo it. */
async function corruptCounter(sut: TestServer, key: string): Promise<{ repair(): Promise<void> }> {
  const now = Date.now();
  if (TEST_STORE === 'sqlite') {
    const db = new Database(sut.config.sqlitePath);
    db.prepare('INSERT INTO login_failures (key, count, window_start, last_at) VALUES (?, ?, ?, ?)').run(
      key,
      'many',
      now,
      now,
    );
    return {
      async repair() {
        db.prepare('DELETE FROM login_failures WHERE key = ?').run(key);
        db.close();
      },
    };
  }
  const mongo = await testMongo();
  const client = await MongoClient.connect(mongo!.url);
  const failures = client
    .db(sut.config.mongo.database)
    .collection<{ _id: string; count: unknown; window_start: number; last_at: number }>(AUTH_COLLECTIONS.failures);
  await failures.insertOne({ _id: key, count: 'many', window_start: now, last_at: now });
  return {
    async repair() {
      await failures.deleteOne({ _id: key });
      await client.close();
    },
  };
}

describe('login throttle delays', () => {
  const setup = (t: TestContext, limits: Partial<Config['throttle']>) => {
    const dir = makeTempDir();
    const store = new SqliteStore(join(dir.path, 'db.sqlite'));
    t.after(async () => {
      await store.close();
      dir.remove();
    });
    const clock = { now: 1_000_000_000 };
    const sut = createLoginThrottle({
      store,
      limits: { ...loadConfig({}).throttle, ...limits },
      now: () => clock.now,
    });
    /** Seconds an attempt must wait (0: it was let through, and failed as a wrong password does). */
    const refusedFor = async (username = 'user01', address = '10.0.0.1') => {
      try {
        await (await sut.attempt(username, address)).failed();
        return 0;
      } catch (err) {
        assert.ok(err instanceof AppError && err.kind === 'throttled');
        return err.details.retryAfterSeconds ?? Number.NaN;
      }
    };
    return { sut, clock, refusedFor };
  };

  it('grow with each failure past the limit, are capped, and a success resets them', async (t) => {
    const { sut, clock, refusedFor } = setup(t, { accountFailures: 2, maxDelaySeconds: 8 });

    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const wait = await refusedFor();
      delays.push(wait);
      clock.now += wait * 1000;
      if (wait > 0) assert.equal(await refusedFor(), 0);
    }
    delays.push(await refusedFor());
    assert.deepEqual(delays, [0, 0, 1, 2, 4, 8, 8, 8]);

    clock.now += 8000;
    await (await sut.attempt('user01', '10.0.0.1')).succeeded();
    assert.equal(await refusedFor(), 0);
  });

  it('run from when the password was found wrong, not from when the attempt began', async (t) => {
    const { sut, clock, refusedFor } = setup(t, { accountFailures: 1 });
    const slow = await sut.attempt('user01', '10.0.0.1');
    clock.now += 3000;
    await slow.failed();
    assert.equal(await refusedFor(), 1);
  });

  it('let parallel attempts of one instance wait for those in flight rather than refuse them, and a success lets them all in', async (t) => {
    const { sut } = setup(t, { accountFailures: 2, addressFailures: 2 });
    const logins = Array.from({ length: 20 }, async () => (await sut.attempt('user01', '10.0.0.1')).succeeded());
    await Promise.all(logins);
  });

  it('does not count a refused attempt against the address, nor an abandoned one against either', async (t) => {
    const { sut, refusedFor } = setup(t, { accountFailures: 1, addressFailures: 3 });
    assert.equal(await refusedFor('user01'), 0);
    assert.ok((await refusedFor('user01')) > 0, 'the account waits');
    await (await sut.attempt('user02', '10.0.0.1')).abandoned();
    assert.equal(await refusedFor('user03'), 0);
    assert.equal(await refusedFor('user04'), 0);
    assert.ok((await refusedFor('user05')) > 0, 'the address has had its 3');
  });
});
