// A stream's state of ours is parsed once from its stored fields and written back under the same names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergedStream, readStreamState, storedExtraOf } from '../../src/store/stream-state.js';
import type { Stream } from '../../src/store/types.js';

const contract = {
  key: 'HL0503_20201209_230000',
  video_id: 'yEttl2nfhsQ',
  datetime: '20201209 230000',
  name: '尾丸ポルカ',
  title: 'アカペラ',
  url: 'https://www.youtube.com/watch?v=yEttl2nfhsQ',
  description: '',
};

/** Our fields in the order the collector has always stored them, with one field holodule does not know. */
const stored = {
  start_utc: '2020-12-09T14:00:00.000Z',
  thumbnail: 'https://img.youtube.com/vi/yEttl2nfhsQ/mqdefault.jpg',
  someone_elses: { nested: [1, 2] },
  disappeared_at: null,
  live_status: 'completed',
  youtube: { status: 'ok', channel_id: 'UC1', actual_start: '2020-12-09T14:01:00Z', actual_end: null },
  first_seen: '2020-12-08T00:00:00.000Z',
  last_updated: '2020-12-09T15:00:00.000Z',
};

describe('stream state', () => {
  it('reads live status, YouTube data, first/last seen and disappearance as typed fields; extra keeps the rest', () => {
    const stream = readStreamState({ ...contract, extra: stored });

    assert.equal(stream.liveStatus, 'completed');
    assert.deepEqual(stream.youtube, stored.youtube);
    assert.equal(stream.firstSeen, '2020-12-08T00:00:00.000Z');
    assert.equal(stream.lastUpdated, '2020-12-09T15:00:00.000Z');
    assert.equal(stream.disappearedAt, null);
    assert.deepEqual(stream.extra, {
      start_utc: stored.start_utc,
      thumbnail: stored.thumbnail,
      someone_elses: { nested: [1, 2] },
    });
  });

  it('writes the typed fields back under their stored names, in the order they were stored', () => {
    const written = storedExtraOf(readStreamState({ ...contract, extra: stored }));

    assert.equal(JSON.stringify(written), JSON.stringify(stored));
  });

  it('leaves a value of an unexpected type in extra, untouched, and reads no state from it', () => {
    const odd = {
      live_status: 3,
      youtube: { status: 'ok', actual_end: 12 },
      first_seen: null,
      last_updated: ['x'],
      disappeared_at: false,
    };
    const stream = readStreamState({ ...contract, extra: odd });

    assert.deepEqual(stream, { ...contract, extra: odd });
    assert.equal(JSON.stringify(storedExtraOf(stream)), JSON.stringify(odd));
  });

  it('writes nothing for state left unset, so what is stored stands', () => {
    assert.equal(storedExtraOf(contract), undefined);
    assert.deepEqual(storedExtraOf({ ...contract, liveStatus: 'live' }), { live_status: 'live' });
  });

  it('merges a write over what was stored as both stores do: each field of ours kept unless the write sets it', () => {
    const before: Stream = readStreamState({ ...contract, extra: stored });
    const after = mergedStream(before, { ...contract, liveStatus: 'live', extra: { source: 'page' } });

    assert.equal(after.liveStatus, 'live');
    assert.deepEqual(after.youtube, stored.youtube);
    assert.equal(after.firstSeen, stored.first_seen);
    assert.deepEqual(after.extra, { ...before.extra, source: 'page' });
  });
});
