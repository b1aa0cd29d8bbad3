import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentCodingOf } from '../../src/http/content-coding.js';

describe('contentCodingOf (Accept-Encoding)', () => {
  it('prefers Brotli, then gzip, among the codings accepted with a weight above zero', () => {
    assert.equal(contentCodingOf('br, gzip'), 'br');
    assert.equal(contentCodingOf('gzip, deflate, br'), 'br');
    assert.equal(contentCodingOf('gzip;q=1.0, br;q=0.5'), 'gzip');
    assert.equal(contentCodingOf('GZIP'), 'gzip');
    assert.equal(contentCodingOf('x-gzip'), 'gzip');
    assert.equal(contentCodingOf('*'), 'br');
    assert.equal(contentCodingOf('*, br;q=0'), 'gzip');
    assert.equal(contentCodingOf(['gzip', 'br']), 'br');
  });

  it('answers the body as is when nothing it makes is asked for, or the header makes no sense', () => {
    for (const header of [
      undefined,
      '',
      'identity',
      'deflate',
      'zstd',
      'br;q=0',
      'gzip;q=0, br;q=0',
      'gzip;q=x',
      ',,;',
    ]) {
      assert.equal(contentCodingOf(header), 'identity', String(header));
    }
    assert.equal(contentCodingOf(`gzip, ${'x'.repeat(600)}`), 'identity');
  });
});
