// MongoDB lost while serving: 503 for what needs it, /readyz says so (/healthz, liveness, does not), and
// service resumes by itself;
// MongoDB not there yet when holodule starts: it waits, saying so once per retry.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { CLI, cleanEnv, exitOf } from '../support/cli.js';
import { testMongo, type TestMongo } from '../support/mongo-server.js';
import { makeStream } from '../support/streams.js';
import { makeTempDir } from '../support/temp-dir.js';
import { getWithToken, startTestServer } from '../support/test-server.js';

const mongo = await testMongo();

if (mongo?.restartable) {
  describeFaults(mongo);
} else if (mongo) {
  it('stops and restarts the database to test faults', {
    skip: 'HOLODULE_TEST_MONGODB_URL is set: its server cannot be stopped by the tests',
  }, () => {});
}

function describeFaults(server: TestMongo): void {
  describe('when MongoDB is lost while serving', () => {
    it('answers 503 Service Unavailable, reports the store down on /readyz (not on /healthz), and recovers when it is back', async (t) => {
      const database = server.freshDatabaseName();
      const sut = await startTestServer({
        HOLODULE_STORE: 'mongodb',
        MONGODB_URL: server.url,
        HOLODULE_MONGODB_DATABASE: database,
        HOLODULE_MONGODB_TIMEOUT_MS: '3000',
      });
      t.after(async () => {
        await sut.close();
        await server.dropDatabase(database);
      });
      await sut.addUser('user01', 'password01');
      await sut.store.streams.upsertMany([makeStream('20201209 230000')]);
      const token = await sut.login('user01', 'password01');

      await server.stop();
      try {
        const schedule = await getWithToken(`${sut.url}/holodules/20201209`, token);
        assert.equal(schedule.status, 503);
        assert.deepEqual(await schedule.json(), { error: 'Service Unavailable' });

        const login = await fetch(`${sut.url}/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'user01', password: 'password01' }),
        });
        assert.equal(login.status, 503);
        assert.deepEqual(await login.json(), { error: 'Service Unavailable' });

        const ready = await fetch(`${sut.url}/readyz`);
        assert.equal(ready.status, 503);
        assert.deepEqual(await ready.json(), {
          status: 'not ready',
          failed: ['store'],
          checks: { shutdown: 'ok', keys: 'ok', store: 'unreachable' },
        });
        assert.equal((await fetch(`${sut.url}/healthz`)).status, 200, 'the process itself is alive');

        const unprotected = await fetch(`${sut.url}/openapi.json`);
        assert.equal(unprotected.status, 200, 'what does not need the database keeps working');
      } finally {
        await server.start();
      }

      // On a busy machine the driver may need a heartbeat or two to see the server again: ask /readyz until then.
      let ready = false;
      for (let attempt = 0; attempt < 20 && !ready; attempt++)
        ready = (await fetch(`${sut.url}/readyz`)).status === 200;
      assert.ok(ready, 'holodule did not recover by itself');
      const again = await getWithToken(`${sut.url}/holodules/20201209`, token);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { result: number }).result, 1);
    });
  });
}

if (mongo?.restartable) describeStartUp(mongo);

function describeStartUp(server: TestMongo): void {
  describe('when MongoDB is unreachable as holodule serve starts', () => {
    it('logs one warning per retry, without a stack trace, and starts serving once the database is up', async (t) => {
      const dir = makeTempDir();
      t.after(() => dir.remove());
      await server.stop();
      let restarted = false;
      t.after(async () => {
        if (!restarted) await server.start();
      });
      const child = spawn(process.execPath, [CLI, 'serve'], {
        env: cleanEnv({
          HOLODULE_LOG_LEVEL: 'info',
          MONGODB_URL: server.url,
          HOLODULE_MONGODB_DATABASE: server.freshDatabaseName(),
          HOLODULE_MONGODB_TIMEOUT_MS: '500',
          JWT_SECRET_KEY: 'a-secret-of-at-least-thirty-two-bytes!!',
          PORT: '0',
          HOLODULE_DATA_DIR: dir.path,
        }),
        stdio: 'pipe',
      });
      t.after(async () => {
        child.kill('SIGTERM');
        await exitOf(child);
      });
      let out = '';
      const printed = (pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const check = () => pattern.test(out) && resolve();
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            check();
          });
          child.stderr.on('data', (d: Buffer) => {
            out += d.toString();
            check();
          });
          child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
          check();
        });

      await printed(/is unreachable/);
      await server.start();
      restarted = true;
      await printed(/"msg":"holodule is serving"/);

      const warnings = out.split('\n').filter((line) => line.includes('is unreachable'));
      assert.ok(warnings.length >= 1);
      for (const line of warnings) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        assert.equal(entry.level, 40, 'a warning');
        assert.match(
          entry.msg,
          /^MongoDB at 127\.0\.0\.1:\d+ \(database test_\d+_\d+\) is unreachable: .+; retrying in \d+\.\d s \(attempt \d+\)$/,
        );
      }
      assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
    });
  });
}
