import assert from 'node:assert/strict';
import { it } from 'node:test';
import { concurrencyLimit } from '../../src/auth/concurrency-limit.js';
import { createPasswordHasher } from '../../src/auth/passwords.js';
import { loadConfig } from '../../src/config.js';

/** A task that records when it starts and ends, and finishes (or fails) only when told to. */
function task(log: string[], name: string) {
  let settle!: (failure?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (failure) => (failure ? reject(failure) : resolve())));
  return {
    finish: () => settle(),
    fail: () => settle(new Error(`${name} failed`)),
    run: async () => {
      log.push(`start ${name}`);
      try {
        await done;
      } finally {
        log.push(`end ${name}`);
      }
      return name;
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

it('runs at most the given number of tasks at once, the others in the order they came', async () => {
  const sut = concurrencyLimit(2);
  const log: string[] = [];
  const [a, b, c, d] = [task(log, 'a'), task(log, 'b'), task(log, 'c'), task(log, 'd')];

  const results = [sut(a.run), sut(b.run), sut(c.run), sut(d.run)];
  await turn();
  assert.deepEqual(log, ['start a', 'start b']);
  b.finish();
  await turn();
  a.finish();
  await turn();
  c.finish();
  d.finish();

  assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
  assert.deepEqual(log, ['start a', 'start b', 'end b', 'start c', 'end a', 'start d', 'end c', 'end d']);
});

it("gives a failed task's slot to the next one and passes the failure to its caller", async () => {
  const sut = concurrencyLimit(1);
  const log: string[] = [];
  const [a, b] = [task(log, 'a'), task(log, 'b')];

  const first = sut(a.run);
  const second = sut(b.run);
  a.fail();
  await assert.rejects(first, /a failed/);
  await turn();
  b.finish();

  assert.equal(await second, 'b');
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
});

it('hashes and verifies passwords correctly when more are asked for at once than there are slots', async () => {
  const sut = await createPasswordHasher(loadConfig({}).passwords, 1);

  const hashes = await Promise.all(['one', 'two', 'three'].map((p) => sut.hash(p)));
  const checks = await Promise.all([
    sut.verify(hashes[0]!, 'one'),
    sut.verify(hashes[1]!, 'two'),
    sut.verify(hashes[2]!, 'wrong'),
  ]);

  assert.deepEqual(checks, [true, true, false]);
});
