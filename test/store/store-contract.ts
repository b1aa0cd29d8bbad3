// The one contract every store passes. Each store's test file calls this with a factory for a fresh store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import type { Store } from '../../src/store/types.js';
import { makeStream } from '../support/streams.js';

export type StoreFactory = () => Promise<{ sut: Store; cleanup: () => Promise<void> }>;

export function describeStoreContract(name: string, fresh: StoreFactory): void {
  describe(`${name} store contract`, () => {
    async function withStore(fn: (sut: Store) => Promise<void>): Promise<void> {
      const { sut, cleanup } = await fresh();
      try {
        await fn(sut);
      } finally {
        await cleanup();
      }
    }

    it('finds the streams of one day, newest first, ties by key descending', () =>
      withStore(async (sut) => {
        const early = makeStream('20201209 090000', { key: 'HL0001_20201209_090000' });
        const lateA = makeStream('20201209 230000', { key: 'HL0001_20201209_230000' });
        const lateB = makeStream('20201209 230000', { key: 'HL0503_20201209_230000' });
        const nextDay = makeStream('20201210 000000', { key: 'HL0001_20201210_000000' });
        const dayBefore = makeStream('20201208 235959', { key: 'HL0001_20201208_235959' });
        await sut.streams.upsertMany([early, lateA, nextDay, lateB, dayBefore]);

        const found = await sut.streams.findByDay('20201209');

        assert.deepEqual(
          found.map((s) => s.key),
          ['HL0503_20201209_230000', 'HL0001_20201209_230000', 'HL0001_20201209_090000'],
        );
      }));

    it('returns an empty list for a day without streams', () =>
      withStore(async (sut) => {
        await sut.streams.upsertMany([makeStream('20201209 090000')]);
        assert.deepEqual(await sut.streams.findByDay('20201211'), []);
      }));

    it('gives back every contract field exactly as stored, and our own fields under extra', () =>
      withStore(async (sut) => {
        const stream = makeStream('20201209 230000', {
          title: 'アカペラで"歌う"\'よ\'',
          description: '',
          extra: { live_status: 'upcoming', collaborators: ['獅白ぼたん'], start_utc: '2020-12-09T14:00:00.000Z' },
        });
        await sut.streams.upsertMany([stream]);
        assert.deepEqual(await sut.streams.findByKey(stream.key), stream);
        assert.deepEqual(await sut.streams.findByVideoId(stream.video_id), stream);
      }));

    it('counts upserts as inserted, updated and unchanged, and a second identical run changes nothing', () =>
      withStore(async (sut) => {
        const a = makeStream('20201209 100000');
        const b = makeStream('20201209 110000');
        assert.deepEqual(await sut.streams.upsertMany([a, b]), { inserted: 2, updated: 0, unchanged: 0 });
        assert.deepEqual(await sut.streams.upsertMany([a, { ...b, title: 'new title' }]), {
          inserted: 0,
          updated: 1,
          unchanged: 1,
        });
        assert.deepEqual(await sut.streams.upsertMany([a, { ...b, title: 'new title' }]), {
          inserted: 0,
          updated: 0,
          unchanged: 2,
        });
        assert.equal((await sut.streams.findByKey(b.key))?.title, 'new title');
        assert.equal(await sut.streams.count(), 2);
      }));

    it('counts a key given twice in one upsert like two upserts in a row', () =>
      withStore(async (sut) => {
        const a = makeStream('20201209 100000');
        assert.deepEqual(await sut.streams.upsertMany([a, { ...a, title: 'second' }, { ...a, title: 'second' }]), {
          inserted: 1,
          updated: 1,
          unchanged: 1,
        });
        assert.equal((await sut.streams.findByKey(a.key))?.title, 'second');
        assert.equal(await sut.streams.count(), 1);
      }));

    it('merges extra fields on upsert instead of dropping the ones already stored', () =>
      withStore(async (sut) => {
        const s = makeStream('20201209 100000', { extra: { first_seen: '2020-12-01T00:00:00Z' } });
        await sut.streams.upsertMany([s]);
        await sut.streams.upsertMany([{ ...s, extra: { live_status: 'live' } }]);
        assert.deepEqual((await sut.streams.findByKey(s.key))?.extra, {
          first_seen: '2020-12-01T00:00:00Z',
          live_status: 'live',
        });
      }));

    it('lists every stream in key order, a page at a time', () =>
      withStore(async (sut) => {
        const streams = ['20201201 000000', '20201202 000000', '20201203 000000'].map((d) => makeStream(d));
        await sut.streams.upsertMany(streams);
        const first = await sut.streams.list(null, 2);
        const rest = await sut.streams.list(first.at(-1)!.key, 2);
        assert.deepEqual(
          [...first, ...rest].map((s) => s.key),
          streams.map((s) => s.key).sort(),
        );
      }));

    it('creates, finds, lists and removes users', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '2', username: 'user02', password: 'password02' });
        await sut.users.create({ id: '1', username: 'user01', password: 'password01', extra: { role: 'admin' } });
        assert.deepEqual(await sut.users.findByUsername('user01'), {
          id: '1',
          username: 'user01',
          password: 'password01',
          extra: { role: 'admin' },
        });
        assert.deepEqual(
          (await sut.users.list()).map((u) => u.username),
          ['user01', 'user02'],
        );
        assert.equal(await sut.users.remove('user01'), true);
        assert.equal(await sut.users.remove('user01'), false);
        assert.equal(await sut.users.findByUsername('user01'), null);
        assert.equal(await sut.users.count(), 1);
      }));

    it('refuses a second user with the same username with a 409', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'a' });
        await assert.rejects(sut.users.create({ id: '9', username: 'user01', password: 'b' }), (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.equal(err.status, 409);
          return true;
        });
        assert.equal((await sut.users.findByUsername('user01'))?.password, 'a');
      }));

    it('inserts a user only when absent', () =>
      withStore(async (sut) => {
        assert.equal(await sut.users.insertIfAbsent({ id: '1', username: 'user01', password: 'a' }), true);
        assert.equal(await sut.users.insertIfAbsent({ id: '1', username: 'user01', password: 'b' }), false);
        assert.equal((await sut.users.findByUsername('user01'))?.password, 'a');
      }));

    it('replaces a password only while it still has the expected value', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'plain', extra: { note: 'kept' } });
        assert.equal(await sut.users.replacePassword('user01', 'hash2', 'other'), false);
        assert.equal(await sut.users.replacePassword('user01', 'hash1', 'plain'), true);
        assert.equal(await sut.users.replacePassword('user01', 'hash3'), true);
        assert.equal(await sut.users.replacePassword('nobody', 'x'), false);
        assert.deepEqual(await sut.users.findByUsername('user01'), {
          id: '1',
          username: 'user01',
          password: 'hash3',
          extra: { note: 'kept' },
        });
      }));

    it('reports itself healthy', () =>
      withStore(async (sut) => {
        const health = await sut.health();
        assert.equal(health.ok, true);
        assert.equal(health.store, sut.kind);
      }));
  });
}
