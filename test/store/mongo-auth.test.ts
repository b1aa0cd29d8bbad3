// The original's MONGODB_HOST/USER/PASSWORD, checked against admin, on a server that requires authentication.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { testMongoWithAuth, type TestMongo } from '../support/mongo-server.js';

const CREDENTIALS = { username: 'holodule', password: 'p@ss:word/with?odd&chars' };
const mongo = await testMongoWithAuth(CREDENTIALS);

if (mongo) describeAuth(mongo);

function describeAuth(server: TestMongo): void {
  const settings = (env: Record<string, string>) =>
    loadConfig({
      MONGODB_HOST: server.host,
      HOLODULE_MONGODB_DATABASE: server.freshDatabaseName(),
      HOLODULE_MONGODB_TIMEOUT_MS: '2000',
      ...env,
    }).mongo;
  const noRetries = { maxAttempts: 1, log: () => assert.fail('credentials problems are not retried') };

  describe('mongodb store, with the original credentials settings', () => {
    it('connects with MONGODB_HOST, MONGODB_USER and MONGODB_PASSWORD, authenticated against admin', async (t) => {
      const config = settings({ MONGODB_USER: CREDENTIALS.username, MONGODB_PASSWORD: CREDENTIALS.password });
      const sut = await openMongoStore(config);
      t.after(async () => {
        await sut.close();
        await server.dropDatabase(config.database);
      });

      await sut.users.create({ id: '1', username: 'user01', password: 'password01' });

      assert.equal((await sut.users.findByUsername('user01'))?.password, 'password01');
    });

    it('stops at once, naming MONGODB_PASSWORD, when the password is wrong', async () => {
      await assert.rejects(
        openMongoStore(settings({ MONGODB_USER: CREDENTIALS.username, MONGODB_PASSWORD: 'wrong' }), noRetries),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.variable, 'MONGODB_PASSWORD');
          assert.match(err.message, /refused the credentials/);
          assert.doesNotMatch(err.message, /wrong/, 'the password is never shown');
          return true;
        },
      );
    });

    it('stops at once, naming MONGODB_USER, when the server wants credentials and none are set', async () => {
      await assert.rejects(openMongoStore(settings({}), noRetries), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.variable, 'MONGODB_USER');
        assert.match(err.message, /refused access to database test_\d+_\d+/);
        return true;
      });
    });
  });
}
