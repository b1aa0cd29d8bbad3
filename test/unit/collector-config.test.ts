import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const collector = (env: Record<string, string>) => loadConfig(env).collector;

describe('collector settings', () => {
  it("defaults to the site's all-groups page every 15 minutes, without YouTube", () => {
    const sut = collector({});
    assert.deepEqual(sut.pageUrls, ['https://schedule.hololive.tv/']);
    assert.equal(sut.listUrl, 'https://schedule.hololive.tv/api/list');
    assert.equal(sut.youtubeApiKey, undefined);
    assert.equal(sut.youtubeApiUrl, 'https://www.googleapis.com/youtube/v3');
    assert.equal(sut.intervalMs, 15 * 60_000);
  });

  it("accepts the original's HOLODULE_URL and API_KEY, several pages separated by commas", () => {
    const sut = collector({
      HOLODULE_URL: 'https://schedule.hololive.tv/lives/hololive, https://schedule.hololive.tv/lives/holostars',
      API_KEY: 'original-key',
    });
    assert.deepEqual(sut.pageUrls, [
      'https://schedule.hololive.tv/lives/hololive',
      'https://schedule.hololive.tv/lives/holostars',
    ]);
    assert.equal(sut.youtubeApiKey, 'original-key');
    assert.equal(collector({ API_KEY: 'old', YOUTUBE_API_KEY: 'new' }).youtubeApiKey, 'new');
  });

  it('reads the interval as minutes or with a unit, and 0 as off', () => {
    assert.equal(collector({ HOLODULE_COLLECT_INTERVAL: '30' }).intervalMs, 30 * 60_000);
    assert.equal(collector({ HOLODULE_COLLECT_INTERVAL: '90s' }).intervalMs, 90_000);
    assert.equal(collector({ HOLODULE_COLLECT_INTERVAL: '1h' }).intervalMs, 3_600_000);
    assert.equal(collector({ HOLODULE_COLLECT_INTERVAL: '0' }).intervalMs, 0);
  });

  it('turns the JSON list off with "off"', () => {
    assert.equal(collector({ HOLODULE_LIST_URL: 'off' }).listUrl, undefined);
  });

  it('names the variable when a value is wrong', () => {
    for (const [variable, value] of [
      ['HOLODULE_URL', 'ftp://example.com/'],
      ['HOLODULE_URL', 'not a url'],
      ['HOLODULE_COLLECT_INTERVAL', 'often'],
      ['HOLODULE_COLLECT_INTERVAL', '5s'],
      ['HOLODULE_COLLECT_RETRIES', '99'],
      ['HOLODULE_YOUTUBE_API_URL', 'youtube'],
    ] as const) {
      assert.throws(
        () => collector({ [variable]: value }),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
        `${variable}=${value}`,
      );
    }
  });
});
