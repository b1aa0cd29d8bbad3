// The HTTP contract tests of the original API, and those of our auth state, once more on MongoDB.
// This file is its own process; HOLODULE_TEST_STORE is set before test-server.ts is first imported.
import { describe } from 'node:test';
import { testMongo } from '../support/mongo-server.js';

process.env.HOLODULE_TEST_STORE = 'mongodb';

if (await testMongo()) {
  describe('on MongoDB', async () => {
    await import('./auth.test.js');
    await import('./protected-requests.test.js');
    await import('./holodules.test.js');
    await import('./readiness.test.js');
    await import('./usernames.test.js');
    await import('./legacy-passwords.test.js');
    // Ours beyond the original: sessions, keys and throttling keep their state in the store too.
    await import('./sessions.test.js');
    await import('./keys.test.js');
    await import('./login-throttle.test.js');
    await import('./identity.test.js');
    // v2: every query and the talent directory on MongoDB's indexes and fields.
    await import('./v2-streams.test.js');
    await import('./v2-talents.test.js');
    // HTTP caching and public reads: ETags of MongoDB's answers, anonymous counters shared in the database.
    await import('./http-cache.test.js');
    // The day's answers kept in the database, compressed: their bytes and their renewal on a write.
    await import('./day-compression.test.js');
    // The hot day read in front of Fastify, on MongoDB's store calls (revocation across instances included).
    await import('./hot-day.test.js');
    await import('./public-read.test.js');
    // Live push: the change log, its sequence counter and used tickets in the database, and two instances on it.
    await import('./events.test.js');
    // API keys and calendar feeds: their records, revocation across instances and a real collect, on MongoDB.
    await import('./api-keys.test.js');
    await import('./calendar-feeds.test.js');
    // Favourite talents: their collection, its index, and their removal with the user.
    await import('./v2-favourites.test.js');
    // The web page's cookie session: its refresh tokens, rotation and revocation in the database.
    await import('./web-session.test.js');
  });
}
