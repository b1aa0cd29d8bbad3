// GET /holodules/<date> compressed: the store's Brotli and gzip bytes, chosen by Accept-Encoding, read as sent
// (rawRequest, which does not decompress; fetch would). On MongoDB too, via on-mongodb.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { makeStream } from '../support/streams.js';
import { type RawAnswer, rawRequest, startTestApp, type TestServer } from '../support/test-server.js';

/** The bytes as sent, undecoded (rawRequest, not fetch: fetch would decompress). */
const rawGet = (url: string, headers: Record<string, string>): Promise<RawAnswer> => rawRequest(url, { headers });

const decoded = (answer: RawAnswer): Buffer =>
  answer.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(answer.body)
    : answer.headers['content-encoding'] === 'gzip'
      ? gunzipSync(answer.body)
      : answer.body;

describe('GET /holodules/<date> with Accept-Encoding', () => {
  let sut: TestServer;
  let token: string;
  const DAY = '/holodules/20201209';

  before(async () => {
    sut = await startTestApp();
    await sut.addUser('user01', 'password01');
    await sut.store.streams.upsertMany(
      Array.from({ length: 12 }, (_, i) =>
        makeStream(`20201209 ${String(10 + i).padStart(2, '0')}0000`, { title: `歌枠 ${i} アカペラ` }),
      ),
    );
    token = await sut.login('user01', 'password01');
  });
  after(() => sut.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    rawGet(`${sut.url}${path}`, { authorization: `JWT ${token}`, ...headers });

  it('when Accept-Encoding is "br, gzip", then Brotli bytes that decompress to exactly the body sent as is', async () => {
    const plain = await get(DAY);
    const br = await get(DAY, { 'accept-encoding': 'br, gzip' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} bytes of ${plain.body.length}`);
    assert.deepEqual(decoded(br), plain.body);
    assert.equal(Number(br.headers['content-length']), br.body.length);
  });

  it('when only gzip is accepted, then gzip bytes that decompress to exactly the body sent as is', async () => {
    const plain = await get(DAY);
    for (const header of ['gzip', 'gzip, deflate', 'br;q=0, gzip', 'x-gzip']) {
      const gzip = await get(DAY, { 'accept-encoding': header });
      assert.equal(gzip.headers['content-encoding'], 'gzip', header);
      assert.deepEqual(decoded(gzip), plain.body, header);
    }
  });

  it('when compression is not asked for, or only codings it does not make, then the body as is', async () => {
    const plain = await get(DAY);
    assert.equal(plain.headers['content-encoding'], undefined);
    JSON.parse(plain.body.toString());
    for (const header of ['', 'identity', 'deflate', 'br;q=0, gzip;q=0', 'gzip;q=nonsense', ',;;,', 'zstd;q=1']) {
      const answer = await get(DAY, { 'accept-encoding': header });
      assert.equal(answer.status, 200, header);
      assert.equal(answer.headers['content-encoding'], undefined, header);
      assert.deepEqual(answer.body, plain.body, header);
    }
  });

  it('answers every encoding with Vary: Accept-Encoding and an ETag of its own', async () => {
    const answers = await Promise.all(
      ['identity', 'gzip', 'br'].map((coding) => get(DAY, { 'accept-encoding': coding })),
    );
    const tags = answers.map((a) => a.headers.etag);
    assert.equal(new Set(tags).size, 3, String(tags));
    for (const answer of answers) assert.match(String(answer.headers.vary), /Accept-Encoding/);
    const notFound = await get('/holodules/20201211', { 'accept-encoding': 'br' });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(notFound.body.toString()), { error: 'Not found' });
  });

  it("when If-None-Match names the Brotli answer's ETag, then 304 for Brotli and the whole body as is", async () => {
    const br = await get(DAY, { 'accept-encoding': 'br' });
    const again = await get(DAY, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers['content-encoding'], undefined);
    const plain = await get(DAY, { 'if-none-match': String(br.headers.etag) });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
  });

  it('sends the bytes the store keeps for the day, the same on every request (compressed once, when written)', async () => {
    const kept = await sut.store.streams.findDayAnswer('20201209', 'br');
    const first = await get(DAY, { 'accept-encoding': 'br' });
    const second = await get(DAY, { 'accept-encoding': 'br' });
    assert.deepEqual(first.body, kept?.body);
    assert.deepEqual(second.body, kept?.body);
  });

  it('when a stream of the day is written, then the compressed answers change with it', async () => {
    const before = await get('/holodules/20201213', { 'accept-encoding': 'br' });
    assert.equal(before.status, 404);
    await sut.store.streams.upsertMany([makeStream('20201213 100000', { title: '新しい配信' })]);
    const first = await get('/holodules/20201213', { 'accept-encoding': 'br' });
    assert.match(decoded(first).toString(), /新しい配信/);

    await sut.store.streams.upsertMany([makeStream('20201213 120000', { title: '二つ目の配信' })]);

    for (const coding of ['br', 'gzip', 'identity']) {
      const after = await get('/holodules/20201213', { 'accept-encoding': coding });
      const body = decoded(after).toString();
      assert.match(body, /二つ目の配信/, coding);
      assert.deepEqual(JSON.parse(body).result, 2, coding);
      if (coding === 'br') assert.notEqual(after.headers.etag, first.headers.etag);
    }
  });
});
