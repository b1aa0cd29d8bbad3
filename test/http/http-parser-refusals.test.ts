// What Node's HTTP parser refuses before Fastify sees it (oversized headers, bytes that are not HTTP) answers in
// our shape too: this lives in the socket, so these run on a real server (request-refusals.test.ts has the rest).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Writes `bytes` on a fresh connection and answers everything the server sent back before it closed. */
function exchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe("requests Node's HTTP parser refuses, in our shape", () => {
  let sut: TestServer;
  before(async () => {
    sut = await startTestServer();
  });
  after(() => sut.close());

  it('refuses a 100 kB token with a 4xx JSON answer and no stack trace', async () => {
    const res = await fetch(`${sut.url}/holodules/20201209`, {
      headers: { authorization: `JWT ${'a'.repeat(100 * 1024)}` },
    });
    assert.equal(res.status, 431);
    assert.deepEqual(await res.json(), {
      error: 'Request Header Fields Too Large',
      description: 'The request headers are larger than 16 KiB',
    });
  });

  it('when the bytes are not HTTP, then 400 Bad request in JSON and the connection closes', async () => {
    const answer = await exchange(sut.url, 'NOT HTTP AT ALL\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    assert.match(head!, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(head!, /\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    assert.deepEqual(JSON.parse(body!), { error: 'Bad request', description: 'The request is not valid HTTP' });
  });
});
