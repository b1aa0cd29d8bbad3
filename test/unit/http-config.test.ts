import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const http = (env: Record<string, string>) => loadConfig(env).http;

const refuses = (env: Record<string, string>, variable: string, message: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.variable === variable &&
      message.test(err.message) &&
      !err.message.includes('\n'),
  );

describe('HTTP caching, CORS and public read settings', () => {
  it('default to max-age 60, no CORS, reads closed, and 60 anonymous reads a minute once opened', () => {
    assert.deepEqual(http({}), { cacheMaxAgeSeconds: 60, corsOrigins: [], publicRead: false, publicReadLimit: 60 });
  });

  it('read a list of origins, normalised as browsers send them, skipping empty entries', () => {
    const sut = http({
      HOLODULE_CORS_ORIGINS: ' https://App.Example.com/ , http://localhost:5173,https://x.test:443,',
    });
    assert.deepEqual(sut.corsOrigins, ['https://app.example.com', 'http://localhost:5173', 'https://x.test']);
  });

  it('read * as any origin', () => {
    assert.equal(http({ HOLODULE_CORS_ORIGINS: '*' }).corsOrigins, '*');
  });

  const badOrigins = [
    'app.example.com',
    'https://app.example.com/path',
    'https://app.example.com?x=1',
    'https://app.example.com#top',
    'https://user:pw@app.example.com',
    'ftp://files.example.com',
    'null',
    '*, https://app.example.com',
  ];
  for (const value of badOrigins) {
    it(`refuse HOLODULE_CORS_ORIGINS=${value} in one line naming the variable`, () => {
      refuses({ HOLODULE_CORS_ORIGINS: value }, 'HOLODULE_CORS_ORIGINS', /expected \* or comma-separated origins/);
    });
  }

  it('read the public read switch, its limit and the max-age', () => {
    assert.deepEqual(
      http({ HOLODULE_PUBLIC_READ: 'true', HOLODULE_PUBLIC_READ_LIMIT: '0', HOLODULE_CACHE_MAX_AGE: '0' }),
      { cacheMaxAgeSeconds: 0, corsOrigins: [], publicRead: true, publicReadLimit: 0 },
    );
  });

  it('refuse a public read switch that is not a boolean, and limits out of range', () => {
    refuses({ HOLODULE_PUBLIC_READ: 'maybe' }, 'HOLODULE_PUBLIC_READ', /expected true or false/);
    refuses({ HOLODULE_PUBLIC_READ_LIMIT: '-1' }, 'HOLODULE_PUBLIC_READ_LIMIT', /expected 0\.\.1000000/);
    refuses({ HOLODULE_PUBLIC_READ_LIMIT: 'lots' }, 'HOLODULE_PUBLIC_READ_LIMIT', /expected a whole number/);
    refuses({ HOLODULE_CACHE_MAX_AGE: '1m' }, 'HOLODULE_CACHE_MAX_AGE', /expected a whole number/);
    refuses({ HOLODULE_CACHE_MAX_AGE: '86401' }, 'HOLODULE_CACHE_MAX_AGE', /expected 0\.\.86400/);
  });

  it('stop `holodule serve` on an invalid origin with one line and exit code 78', async (t) => {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const sut = await runCli(['serve'], {
      env: { HOLODULE_DATA_DIR: dir.path, PORT: '0', HOLODULE_CORS_ORIGINS: 'https://app.example.com/app' },
    });
    assert.equal(sut.code, 78);
    assert.equal(sut.stderr.trim().split('\n').length, 1);
    assert.match(
      sut.stderr,
      /^holodule: configuration error: HOLODULE_CORS_ORIGINS: expected \* or comma-separated origins like https:\/\/app\.example\.com \(no path\), got "https:\/\/app\.example\.com\/app"$/m,
    );
  });
});
