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

    it('finds the streams of several video ids in one call, and none for an empty list', () =>
      withStore(async (sut) => {
        const a = makeStream('20201209 100000', { key: 'HL0001_20201209_100000' });
        const b = makeStream('20201209 110000', { key: 'HL0002_20201209_110000' });
        const c = makeStream('20201209 120000', { key: 'HL0003_20201209_120000' });
        await sut.streams.upsertMany([a, b, c]);

        const found = await sut.streams.findByVideoIds([c.video_id, a.video_id, 'notstored00']);

        assert.deepEqual(found.map((s) => s.key).sort(), [a.key, c.key]);
        assert.deepEqual(await sut.streams.findByVideoIds([]), []);
      }));

    it('moves a rescheduled stream to its new key in one step, keeping its own fields', () =>
      withStore(async (sut) => {
        const before = makeStream('20201209 230000', { key: 'HL0503_20201209_230000', extra: { first_seen: 'then' } });
        await sut.streams.upsertMany([before]);
        const after = { ...before, key: 'HL0503_20201210_000000', datetime: '20201210 000000', extra: { live: false } };

        assert.equal(await sut.streams.moveStream(before.key, after), 'updated');

        assert.equal(await sut.streams.findByKey(before.key), null);
        assert.deepEqual(await sut.streams.findByKey(after.key), {
          ...after,
          extra: { first_seen: 'then', live: false },
        });
        assert.equal(await sut.streams.count(), 1);
      }));

    it('moving onto a key already taken replaces what was there, and moving from a missing key upserts', () =>
      withStore(async (sut) => {
        const old = makeStream('20201209 230000', { key: 'HL0503_20201209_230000' });
        const occupant = makeStream('20201210 000000', { key: 'HL0503_20201210_000000' });
        await sut.streams.upsertMany([old, occupant]);
        const moved = { ...old, key: occupant.key, datetime: occupant.datetime };

        await sut.streams.moveStream(old.key, moved);
        const fresh = makeStream('20201211 000000', { key: 'HL0503_20201211_000000' });

        assert.deepEqual(await sut.streams.findByKey(occupant.key), moved);
        assert.equal(await sut.streams.moveStream('HL0503_20000101_000000', fresh), 'inserted');
        assert.equal(await sut.streams.moveStream(fresh.key, fresh), 'unchanged');
        assert.equal(await sut.streams.count(), 2);
      }));

    it('gives a lease to one holder at a time, renews it for that holder, and frees it on release', () =>
      withStore(async (sut) => {
        assert.equal(await sut.leases.acquire('collector', 'instance-a', 60_000), true);
        assert.equal(await sut.leases.acquire('collector', 'instance-b', 60_000), false);
        assert.equal(await sut.leases.acquire('collector', 'instance-a', 60_000), true);
        assert.equal(await sut.leases.acquire('other-job', 'instance-b', 60_000), true);
        assert.equal(await sut.leases.release('collector', 'instance-b'), false);
        assert.equal(await sut.leases.release('collector', 'instance-a'), true);
        assert.equal(await sut.leases.acquire('collector', 'instance-b', 60_000), true);
      }));

    it('lets another holder take over a lease whose holder stopped renewing it before it expired', () =>
      withStore(async (sut) => {
        // A zero lifetime has expired by the next call: the holder "died" without releasing.
        assert.equal(await sut.leases.acquire('collector', 'instance-a', 0), true);
        assert.equal(await sut.leases.acquire('collector', 'instance-b', 60_000), true);
        assert.equal(await sut.leases.acquire('collector', 'instance-a', 60_000), false);
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

    it('imports streams and users together, upserting streams and adding users only when absent', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'hash' });
        const first = makeStream('20201209 230000');
        const counts = await sut.importAll(
          [first, makeStream('20201209 220000')],
          [
            { id: '1', username: 'user01', password: 'plain' },
            { id: '2', username: 'user02', password: 'password02' },
          ],
        );
        assert.deepEqual(counts, { streams: { inserted: 2, updated: 0, unchanged: 0 }, users: { added: 1, kept: 1 } });
        assert.equal((await sut.users.findByUsername('user01'))?.password, 'hash', 'an existing user is kept');
        assert.deepEqual(await sut.importAll([first], []), {
          streams: { inserted: 0, updated: 0, unchanged: 1 },
          users: { added: 0, kept: 0 },
        });
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

    it('sets and removes fields of our own on a user, leaving the contract fields alone', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'p', extra: { team: 'gamers' } });
        assert.equal(await sut.users.updateExtra('user01', { role: 'admin', disabled: true }), true);
        assert.equal(await sut.users.updateExtra('user01', { disabled: undefined }), true);
        assert.equal(await sut.users.updateExtra('nobody', { role: 'admin' }), false);
        assert.deepEqual(await sut.users.findByUsername('user01'), {
          id: '1',
          username: 'user01',
          password: 'p',
          extra: { team: 'gamers', role: 'admin' },
        });
      }));

    it('bumps a token version from nothing, one at a time', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'p' });
        assert.equal(await sut.users.bumpTokenVersion('user01'), 1);
        assert.equal(await sut.users.bumpTokenVersion('user01'), 2);
        assert.equal(await sut.users.bumpTokenVersion('nobody'), null);
        assert.equal((await sut.users.findByUsername('user01'))?.extra?.token_version, 2);
      }));

    it('remembers revoked access tokens by jti until they are pruned after expiry', () =>
      withStore(async (sut) => {
        const now = Date.now();
        await sut.auth.revokeAccessToken('jti-old', now - 1000);
        await sut.auth.revokeAccessToken('jti-live', now + 60_000);
        await sut.auth.revokeAccessToken('jti-live', now + 60_000);
        assert.equal(await sut.auth.isAccessTokenRevoked('jti-live'), true);
        assert.equal(await sut.auth.isAccessTokenRevoked('jti-other'), false);
        assert.ok((await sut.auth.pruneExpired(now)) >= 1);
        assert.equal(await sut.auth.isAccessTokenRevoked('jti-old'), false);
        assert.equal(await sut.auth.isAccessTokenRevoked('jti-live'), true);
      }));

    it('lets a refresh token be used once; later uses are reuse, and a revoked family stays revoked', () =>
      withStore(async (sut) => {
        const expiresAt = Date.now() + 60_000;
        await sut.auth.saveRefreshToken({ jti: 'r1', family: 'f1', username: 'user01', expiresAt });
        await sut.auth.saveRefreshToken({ jti: 'r2', family: 'f1', username: 'user01', expiresAt });
        const uses = await Promise.all([sut.auth.useRefreshToken('r1'), sut.auth.useRefreshToken('r1')]);
        assert.deepEqual(uses.sort(), ['fresh', 'reused']);
        assert.equal(await sut.auth.useRefreshToken('nope'), 'unknown');
        assert.equal(await sut.auth.familyOf('r2'), 'f1');
        await sut.auth.revokeRefreshFamily('f1');
        assert.equal(await sut.auth.useRefreshToken('r2'), 'revoked');
      }));

    it('counts login failures in a window, restarting the count once the window has passed', () =>
      withStore(async (sut) => {
        const t0 = 1_000_000;
        assert.equal(await sut.auth.recordLoginFailure('user:a', t0, 60_000), 1);
        assert.equal(await sut.auth.recordLoginFailure('user:a', t0 + 10, 60_000), 2);
        assert.deepEqual(await sut.auth.loginFailures('user:a', t0 + 20, 60_000), { count: 2, lastAt: t0 + 10 });
        assert.equal(await sut.auth.recordLoginFailure('user:a', t0 + 120_000, 60_000), 1);
        await sut.auth.clearLoginFailures('user:a');
        assert.deepEqual(await sut.auth.loginFailures('user:a', t0 + 120_001, 60_000), { count: 0, lastAt: 0 });
        const counts = await Promise.all(
          Array.from({ length: 5 }, (_, i) => sut.auth.recordLoginFailure('ip:1', t0 + i, 60_000)),
        );
        assert.deepEqual(counts.sort(), [1, 2, 3, 4, 5]);
      }));

    it('keeps signing keys, retiring the older ones when a new one is added', () =>
      withStore(async (sut) => {
        const key = (kid: string, createdAt: number) => ({
          kid,
          alg: 'HS256',
          secret: `secret-${kid}`,
          publicJwk: null,
          createdAt,
          retiredAt: null,
          expiresAt: null,
        });
        await sut.auth.addKey(key('k1', 1000), 1000, 5000);
        await sut.auth.addKey(key('k2', 2000), 2000, 9000);
        const keys = await sut.auth.listKeys();
        assert.deepEqual(
          keys.map((k) => [k.kid, k.retiredAt, k.expiresAt]),
          [
            ['k1', 2000, 9000],
            ['k2', null, null],
          ],
        );
        await sut.auth.pruneExpired(10_000);
        assert.deepEqual(
          (await sut.auth.listKeys()).map((k) => k.kid),
          ['k2'],
        );
      }));

    it('reports itself healthy', () =>
      withStore(async (sut) => {
        const health = await sut.health();
        assert.equal(health.ok, true);
        assert.equal(health.store, sut.kind);
      }));
  });
}
