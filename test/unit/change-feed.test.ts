import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { ChangeFeed } from '../../src/domain/change-feed.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Change, ChangeLogStore, NewChange } from '../../src/store/types.js';
import { makeTempDir } from '../support/temp-dir.js';

const change = (n: number): NewChange => ({ type: 'stream.added', talent: 'HL0001', data: JSON.stringify({ n }) });

/** Waits until `check` holds, re-checked after each read of the log (the feed's polls). */
function polls(changes: ChangeLogStore): { store: ChangeLogStore; until: (check: () => boolean) => Promise<void> } {
  const waiters: Array<() => void> = [];
  const store: ChangeLogStore = {
    ...changes,
    after: async (seq, limit) => {
      const found = await changes.after(seq, limit);
      queueMicrotask(() => {
        for (const wake of waiters.splice(0)) wake();
      });
      return found;
    },
  };
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { store, until };
}

describe('the change feed', () => {
  it('delivers changes appended after it started, in order, and waits out a gap before skipping it', async (t) => {
    const dir = makeTempDir();
    const path = join(dir.path, 'feed.sqlite');
    const store = new SqliteStore(path);
    t.after(async () => {
      await store.close();
      dir.remove();
    });
    await store.changes.append([change(0)], 1);
    const clock = { now: 0 };
    const { store: changes, until } = polls(store.changes);
    const sut = new ChangeFeed({
      changes,
      pollMs: 10,
      gapGraceMs: 5_000,
      log: pino({ level: 'silent' }),
      now: () => clock.now,
    });
    const heard: Change[] = [];
    const { position, unsubscribe } = await sut.subscribe((batch) => heard.push(...batch));
    t.after(unsubscribe);

    const seqs = await store.changes.append([change(1), change(2), change(3)], 2);
    // An append that took its sequence and never wrote it (on MongoDB: a failed insert after the counter moved).
    const raw = new Database(path);
    raw.prepare('DELETE FROM stream_changes WHERE seq = ?').run(seqs[1]);
    raw.close();

    assert.equal(position, seqs[0]! - 1, 'starts after what was written before it');
    await until(() => heard.length === 1);
    let pollsSince = 0;
    await until(() => ++pollsSince > 3);
    assert.deepEqual(
      heard.map((c) => c.seq),
      [seqs[0]],
      'the gap is waited for',
    );

    clock.now = 5_000;
    await until(() => heard.length === 2);
    assert.deepEqual(
      heard.map((c) => c.seq),
      [seqs[0], seqs[2]],
    );
  });
});
