// The fast tier's HTTP files, all in this one process (npm run test:unit runs it instead of one process a
// file): the files under test/http that reach the app by app.inject only, i.e. never start a listening server
// (startTestServer) or a MongoDB one. Loading Fastify and warming it once instead of twenty times halves the
// tier's CPU time. `npm test` still runs each file in its own process.
import { readdirSync, readFileSync } from 'node:fs';

const HTTP_TESTS = new URL('../http/', import.meta.url);

export const injectTierFiles = (): URL[] =>
  readdirSync(HTTP_TESTS)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => new URL(name, HTTP_TESTS))
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return !text.includes('startTestServer(') && !text.includes('mongo-server');
    });

for (const file of injectTierFiles()) await import(file.href);
