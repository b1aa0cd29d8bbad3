import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStream } from '../../src/http/events/event-stream.js';
import type { Change } from '../../src/store/types.js';

const change = (seq: number, talent = 'HL0001', size = 10): Change => ({
  seq,
  type: 'stream.added',
  talent,
  at: 0,
  data: JSON.stringify({ n: seq, pad: 'x'.repeat(size) }),
});

function sutWith(options: { maxBufferedBytes?: number; wants?: (c: Change) => boolean } = {}) {
  const dropped: string[] = [];
  const sut = new EventStream({
    wants: options.wants ?? (() => true),
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    socketBuffered: () => 0,
    drop: () => dropped.push('dropped'),
  });
  const read = () => String(sut.body.read() ?? '');
  return { sut, dropped, read };
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe('an event stream', () => {
  it('writes each change once, in order, as id, event and data lines', () => {
    const { sut, read } = sutWith();
    sut.startLive(4, 'id: 4\n\n');
    sut.deliver([change(4), change(5)]);
    sut.deliver([change(5), change(6)]);
    const text = read();
    assert.deepEqual(ids(text), [4, 5, 6]);
    assert.match(text, /\nid: 5\nevent: stream\.added\ndata: \{"n":5,/);
  });

  it('when resuming, sends what the store kept, then what came live meanwhile, without repeats', () => {
    const { sut, read } = sutWith();
    sut.startCatchUp(2, ': resuming\n\n');
    sut.deliver([change(6), change(7)]);
    for (const seq of [3, 4, 5, 6]) sut.replay(change(seq));
    sut.finishCatchUp();
    sut.deliver([change(8)]);
    assert.deepEqual(ids(read()), [3, 4, 5, 6, 7, 8]);
  });

  it('skips the changes the client did not ask for', () => {
    const { sut, read } = sutWith({ wants: (c) => c.talent === 'HL0004' });
    sut.startLive(0, ': live\n\n');
    sut.deliver([change(1, 'HL0001'), change(2, 'HL0004'), change(3, 'HL0001')]);
    assert.deepEqual(ids(read()), [2]);
  });

  it('drops a client that leaves more than the cap unread, instead of buffering without bound', () => {
    const { sut, dropped } = sutWith({ maxBufferedBytes: 64 * 1024 });
    sut.startLive(0, ': live\n\n');
    for (let seq = 1; seq <= 100 && dropped.length === 0; seq++) sut.deliver([change(seq, 'HL0001', 1024)]);
    assert.deepEqual(dropped, ['dropped']);
    assert.ok(sut.closed);
    assert.ok(sut.body.writableLength + sut.body.readableLength < 80 * 1024, 'no more is written once dropped');
  });

  it('drops a client whose resume has more live changes waiting than it may hold', () => {
    const dropped: string[] = [];
    const sut = new EventStream({
      wants: () => true,
      maxBufferedBytes: 1024 * 1024,
      socketBuffered: () => 0,
      drop: () => dropped.push('dropped'),
      maxPending: 3,
    });
    sut.startCatchUp(0, ': resuming\n\n');
    sut.deliver([change(1), change(2), change(3), change(4)]);
    assert.deepEqual(dropped, ['dropped']);
  });
});
