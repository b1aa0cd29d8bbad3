// The HTTP contract tests of the original API, once more on MongoDB (this file is its own process).
import { describe } from 'node:test';
import { testMongo } from '../support/mongo-server.js';

process.env.HOLODULE_TEST_STORE = 'mongodb';

if (await testMongo()) {
  describe('on MongoDB', async () => {
    await import('./auth.test.js');
    await import('./protected-requests.test.js');
    await import('./holodules.test.js');
    await import('./legacy-passwords.test.js');
  });
}
