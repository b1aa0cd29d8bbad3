// Hosts the MongoDB server for the benchmark's MongoDB row in a process of its own: the test suite's
// FerretDB helper (or HOLODULE_TEST_MONGODB_URL), reported to the parent over IPC, stopped when the parent
// disconnects. The helper registers node:test hooks, which is why it lives here and not in the harness.
import { testMongo } from '../test/support/mongo-server.js';

const mongo = await testMongo();
process.send!(
  mongo
    ? { url: mongo.url, server: mongo.restartable ? 'FerretDB' : 'HOLODULE_TEST_MONGODB_URL' }
    : { url: null, reason: 'no MongoDB server (FerretDB could not be built or started)' },
);
process.once('disconnect', () => {
  // Stopping the server lets the event loop drain; the helper's own after-hook then removes its directory.
  if (mongo?.restartable) void mongo.stop();
});
