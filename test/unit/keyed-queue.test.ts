import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createKeyedQueue } from '../../src/auth/keyed-queue.js';

/** An operation that records when it starts and ends, and finishes only when told to. */
function step(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    finish: () => finish(),
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

it('runs operations with the same key one after another, and other keys meanwhile', async () => {
  const sut = createKeyedQueue();
  const log: string[] = [];
  const [a1, a2, b1] = [step(log, 'a1'), step(log, 'a2'), step(log, 'b1')];

  const results = [sut('a', a1.run), sut('a', a2.run), sut('b', b1.run)];
  await Promise.resolve();
  b1.finish();
  a1.finish();
  a2.finish();

  assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'b1']);
  assert.ok(log.indexOf('end a1') < log.indexOf('start a2'), log.join(', '));
  assert.ok(log.indexOf('start b1') < log.indexOf('end a1'), log.join(', '));
});

it('goes on with the next operation of a key after one fails', async () => {
  const sut = createKeyedQueue();
  const failing = sut('a', () => Promise.reject(new Error('boom')));
  const next = sut('a', async () => 'next');
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'next');
});
