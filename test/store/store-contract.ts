// The one contract every store passes. Each store's test file calls this with a factory for a fresh store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { AppError } from '../../src/errors.js';
import { dayJson, tagOf } from '../../src/store/day-answer.js';
import { orderStartOf } from '../../src/store/stream-facets.js';
import type { CredentialRecord, NewChange, Store, Stream, StreamQuery, User } from '../../src/store/types.js';
import { makeStream } from '../support/streams.js';

export type StoreFactory = () => Promise<{
  sut: Store;
  cleanup: () => Promise<void>;
  /** Another instance on the same database (closed by `cleanup`). */
  another: () => Promise<Store>;
}>;

/** What a day's answer must be in every encoding: the JSON of findByDay's streams, decompressed to the same bytes. */
async function assertDayAnswerMatchesStreams(sut: Store, day: string): Promise<string> {
  const streams = await sut.streams.findByDay(day);
  const identity = await sut.streams.findDayAnswer(day, 'identity');
  assert.ok(identity, `an answer for ${day}`);
  assert.equal(identity.body.toString(), dayJson(streams));
  assert.equal(identity.tag, tagOf(Buffer.from(dayJson(streams))));
  const gzip = await sut.streams.findDayAnswer(day, 'gzip');
  const br = await sut.streams.findDayAnswer(day, 'br');
  assert.deepEqual(gunzipSync(gzip!.body), identity.body);
  assert.deepEqual(brotliDecompressSync(br!.body), identity.body);
  assert.ok(gzip!.body.length < identity.body.length && br!.body.length < identity.body.length, 'compressed');
  assert.equal(gzip!.tag, identity.tag);
  assert.equal(br!.tag, identity.tag);
  return identity.tag;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A found user without the fields the store makes (uid, creation time), after checking they are there. */
function made(user: User | null): Omit<User, 'uid' | 'createdAt'> | null {
  if (!user) return user;
  const { uid, createdAt, ...rest } = user;
  assert.match(uid, UUID);
  assert.equal(typeof createdAt, 'number');
  return rest;
}

export function describeStoreContract(name: string, fresh: StoreFactory): void {
  describe(`${name} store contract`, () => {
    async function withStore(fn: (sut: Store, another: () => Promise<Store>) => Promise<void>): Promise<void> {
      const { sut, cleanup, another } = await fresh();
      try {
        await fn(sut, another);
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

    it("keeps each day's v1 answer: the day's streams as the contract's JSON, gzip and Brotli of the same bytes, one tag", () =>
      withStore(async (sut) => {
        const repeated = Array.from({ length: 30 }, (_, i) =>
          makeStream(`20201209 ${String(i % 24).padStart(2, '0')}${String(i).padStart(2, '0')}00`, {
            title: `アカペラで"歌う"\\'よ' ${i}`,
            extra: { live_status: 'upcoming', collaborators: ['獅白ぼたん'] },
          }),
        );
        await sut.streams.upsertMany([...repeated, makeStream('20201210 000000')]);
        await assertDayAnswerMatchesStreams(sut, '20201209');
        assert.doesNotMatch((await sut.streams.findDayAnswer('20201209', 'identity'))!.body.toString(), /live_status/);
        assert.equal(await sut.streams.findDayAnswer('20201211', 'identity'), null);
        assert.equal(await sut.streams.findDayAnswer('20201211', 'br'), null);
      }));

    it("when a day's streams are written, then the next answer has them: insert, update, move to another day", () =>
      withStore(async (sut) => {
        const first = makeStream('20201209 100000');
        await sut.streams.upsertMany([first]);
        const before = await assertDayAnswerMatchesStreams(sut, '20201209');

        await sut.streams.upsertMany([makeStream('20201209 110000')]);
        const inserted = await assertDayAnswerMatchesStreams(sut, '20201209');
        assert.notEqual(inserted, before);

        await sut.streams.upsertMany([{ ...first, title: 'renamed' }]);
        const updated = await assertDayAnswerMatchesStreams(sut, '20201209');
        assert.notEqual(updated, inserted);
        assert.match((await sut.streams.findDayAnswer('20201209', 'identity'))!.body.toString(), /renamed/);

        const moved = makeStream('20201210 100000', { video_id: first.video_id, url: first.url });
        await sut.streams.moveStream(first.key, moved);
        assert.notEqual(await assertDayAnswerMatchesStreams(sut, '20201209'), updated);
        await assertDayAnswerMatchesStreams(sut, '20201210');
        assert.doesNotMatch((await sut.streams.findDayAnswer('20201209', 'identity'))!.body.toString(), /renamed/);
      }));

    it("when only fields of ours change, then the day's answer keeps its bytes and tag", () =>
      withStore(async (sut) => {
        const stream = makeStream('20201209 100000', { extra: { live_status: 'upcoming' } });
        await sut.streams.upsertMany([stream]);
        const before = await assertDayAnswerMatchesStreams(sut, '20201209');
        await sut.streams.upsertMany([{ ...stream, extra: { live_status: 'live' } }]);
        assert.equal(await assertDayAnswerMatchesStreams(sut, '20201209'), before);
      }));

    it("when streams are imported, then each day's answer has them", () =>
      withStore(async (sut) => {
        await sut.streams.upsertMany([makeStream('20201209 100000')]);
        await sut.streams.findDayAnswer('20201209', 'identity');
        await sut.importAll([makeStream('20201209 120000'), makeStream('20201212 120000')], []);
        assert.equal((await sut.streams.findByDay('20201209')).length, 2);
        await assertDayAnswerMatchesStreams(sut, '20201209');
        await assertDayAnswerMatchesStreams(sut, '20201212');
      }));

    it('when another instance on the same database writes a day, then the next answer here has it', () =>
      withStore(async (sut, another) => {
        const other = await another();
        const stream = makeStream('20201209 100000');
        await sut.streams.upsertMany([stream]);
        const before = await assertDayAnswerMatchesStreams(sut, '20201209');
        await other.streams.findDayAnswer('20201209', 'br');

        await other.streams.upsertMany([{ ...stream, title: 'written elsewhere' }, makeStream('20201209 200000')]);

        assert.notEqual(await assertDayAnswerMatchesStreams(sut, '20201209'), before);
        assert.match((await sut.streams.findDayAnswer('20201209', 'identity'))!.body.toString(), /written elsewhere/);
        assert.equal(
          (await other.streams.findDayAnswer('20201209', 'identity'))!.tag,
          (await sut.streams.findDayAnswer('20201209', 'identity'))!.tag,
        );
      }));

    it('when another instance revokes a token or bumps a token version, then the next check here sees it', () =>
      withStore(async (sut, another) => {
        const other = await another();
        await sut.users.create({ id: '1', username: 'user01', password: 'x' });
        const user = await sut.users.findByUsername('user01');
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-1'), false);
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-1'), false);
        assert.equal((await sut.users.findByUid(user!.uid))?.tokenVersion, 0);
        assert.equal((await sut.users.findByUid(user!.uid))?.tokenVersion, 0);

        await other.auth.revokeAccessToken('fam:login-1', Date.now() + 60_000);
        await other.users.bumpTokenVersion('user01');

        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-1'), true);
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-2'), false);
        assert.equal((await sut.users.findByUid(user!.uid))?.tokenVersion, 1);
        await other.users.remove('user01');
        assert.equal(await sut.users.findByUid(user!.uid), null);
      }));

    it('when a request begins after another instance revoked a token, then that request sees it, in the same task too', () =>
      withStore(async (sut, another) => {
        const other = await another();
        await sut.users.create({ id: '1', username: 'user01', password: 'x' });
        const user = await sut.users.findByUsername('user01');
        // One request: its checks may share one look at whether the file changed.
        sut.beginRequest();
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-1'), false);
        assert.equal((await sut.users.findByUid(user!.uid))?.tokenVersion, 0);

        await other.auth.revokeAccessToken('fam:login-1', Date.now() + 60_000);
        await other.users.bumpTokenVersion('user01');

        // The next request, even with no I/O in between (the same task), sees both writes.
        sut.beginRequest();
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:login-1'), true);
        assert.equal((await sut.users.findByUid(user!.uid))?.tokenVersion, 1);
        await other.users.remove('user01');
        sut.beginRequest();
        assert.equal(await sut.users.findByUid(user!.uid), null);
      }));

    it('returns an empty list for a day without streams', () =>
      withStore(async (sut) => {
        await sut.streams.upsertMany([makeStream('20201209 090000')]);
        assert.deepEqual(await sut.streams.findByDay('20201211'), []);
      }));

    it('gives back every contract field exactly as stored, our state typed and the rest under extra', () =>
      withStore(async (sut) => {
        const stream = makeStream('20201209 230000', {
          title: 'アカペラで"歌う"\'よ\'',
          description: '',
          liveStatus: 'upcoming',
          youtube: { status: 'ok', channel_id: 'UC1', actual_start: null },
          firstSeen: '2020-12-09T00:00:00.000Z',
          lastUpdated: '2020-12-09T01:00:00.000Z',
          disappearedAt: null,
          extra: { collaborators: ['獅白ぼたん'], start_utc: '2020-12-09T14:00:00.000Z' },
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

    it('merges our fields on upsert instead of dropping the ones already stored', () =>
      withStore(async (sut) => {
        const s = makeStream('20201209 100000', { firstSeen: '2020-12-01T00:00:00Z', extra: { source: 'a' } });
        await sut.streams.upsertMany([s]);
        const { firstSeen: _, ...contract } = s;
        await sut.streams.upsertMany([{ ...contract, liveStatus: 'live', extra: { thumbnail: 'b' } }]);
        const stored = await sut.streams.findByKey(s.key);
        assert.equal(stored?.firstSeen, '2020-12-01T00:00:00Z');
        assert.equal(stored?.liveStatus, 'live');
        assert.deepEqual(stored?.extra, { source: 'a', thumbnail: 'b' });
      }));

    it('keeps a value of an unexpected type under one of our state names in extra, untouched', () =>
      withStore(async (sut) => {
        const odd = {
          live_status: 7,
          youtube: ['not', 'an', 'object'],
          first_seen: { at: 'then' },
          last_updated: false,
          disappeared_at: 12,
        };
        const s = makeStream('20201209 100000', { extra: odd });
        await sut.streams.upsertMany([s]);
        const stored = await sut.streams.findByKey(s.key);
        assert.deepEqual(stored, s);
        assert.equal(stored?.liveStatus, undefined);
        assert.equal(stored?.youtube, undefined);
        await sut.streams.upsertMany([{ ...s, title: 'again', extra: undefined, liveStatus: 'live' }]);
        const again = await sut.streams.findByKey(s.key);
        assert.equal(again?.liveStatus, 'live');
        const { live_status: _, ...untouched } = odd;
        assert.deepEqual(again?.extra, untouched);
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
        const before = makeStream('20201209 230000', {
          key: 'HL0503_20201209_230000',
          firstSeen: 'then',
          extra: { source: 'page' },
        });
        await sut.streams.upsertMany([before]);
        const { firstSeen: _, ...fields } = before;
        const after = { ...fields, key: 'HL0503_20201210_000000', datetime: '20201210 000000', extra: { live: false } };

        assert.equal(await sut.streams.moveStream(before.key, after), 'updated');

        assert.equal(await sut.streams.findByKey(before.key), null);
        assert.deepEqual(await sut.streams.findByKey(after.key), {
          ...after,
          firstSeen: 'then',
          // moves: how many times it was rescheduled (a calendar's SEQUENCE).
          extra: { source: 'page', live: false, moves: 1 },
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

        assert.deepEqual(await sut.streams.findByKey(occupant.key), { ...moved, extra: { moves: 1 } });
        assert.equal(await sut.streams.moveStream('HL0503_20000101_000000', fresh), 'inserted');
        assert.equal(await sut.streams.moveStream(fresh.key, fresh), 'unchanged');
        assert.equal(await sut.streams.count(), 2);
      }));

    it('counts every move of a stream (its moves grow by one each time; an upsert keeps the count)', () =>
      withStore(async (sut) => {
        const first = makeStream('20201209 230000', { key: 'HL0503_20201209_230000' });
        await sut.streams.upsertMany([first]);
        const second = { ...first, key: 'HL0503_20201210_000000', datetime: '20201210 000000' };
        const third = { ...first, key: 'HL0503_20201210_010000', datetime: '20201210 010000' };

        await sut.streams.moveStream(first.key, second);
        await sut.streams.moveStream(second.key, third);
        await sut.streams.upsertMany([{ ...third, title: 'new title', lastUpdated: 'now' }]);

        const stored = await sut.streams.findByKey(third.key);
        assert.deepEqual(stored?.extra, { moves: 2 });
        assert.equal(stored?.lastUpdated, 'now');
      }));

    describe('credentials (API keys and feeds)', () => {
      const record = (overrides: Partial<CredentialRecord> = {}): CredentialRecord => ({
        id: `id-${Math.random().toString(36).slice(2)}`,
        kind: 'api-key',
        userId: 'uid-1',
        name: 'bot',
        hash: createHash('sha256').update(Math.random().toString()).digest('hex'),
        createdAt: 1_000,
        lastUsedAt: null,
        expiresAt: null,
        userVersion: 0,
        ...overrides,
      });

      it("adds, finds by kind and hash, lists per user oldest first, and removes only the owner's", () =>
        withStore(async (sut) => {
          const key = record({ expiresAt: 9_000, userVersion: 2 });
          const later = record({ createdAt: 2_000, name: 'later' });
          const feed = record({ kind: 'feed', filters: { talents: ['HL0004'], statuses: ['live', 'upcoming'] } });
          const theirs = record({ userId: 'uid-2' });
          for (const r of [later, key, feed, theirs]) await sut.credentials.add(r);

          assert.deepEqual(await sut.credentials.findByHash('api-key', key.hash), key);
          assert.equal(await sut.credentials.findByHash('feed', key.hash), null);
          assert.deepEqual(await sut.credentials.findByHash('feed', feed.hash), feed);
          assert.deepEqual(await sut.credentials.listOfUser('uid-1', 'api-key'), [key, later]);
          assert.deepEqual(await sut.credentials.listOfUser('uid-1', 'feed'), [feed]);
          assert.equal(await sut.credentials.remove('uid-2', 'api-key', key.id), false);
          assert.equal(await sut.credentials.remove('uid-1', 'feed', key.id), false);
          assert.equal(await sut.credentials.remove('uid-1', 'api-key', key.id), true);
          assert.equal(await sut.credentials.findByHash('api-key', key.hash), null);
          assert.equal(await sut.credentials.removeAllOfUser('uid-1'), 2);
          assert.deepEqual(await sut.credentials.listOfUser('uid-2', 'api-key'), [theirs]);
        }));

      it('refuses a second credential with the same hash', () =>
        withStore(async (sut) => {
          const key = record();
          await sut.credentials.add(key);
          await assert.rejects(sut.credentials.add({ ...key, id: 'other' }));
        }));

      it('records a use at most once per interval', () =>
        withStore(async (sut) => {
          const key = record();
          await sut.credentials.add(key);

          await sut.credentials.markUsed(key.id, 100_000, 60_000);
          await sut.credentials.markUsed(key.id, 130_000, 60_000);
          const within = (await sut.credentials.findByHash('api-key', key.hash))?.lastUsedAt;
          await sut.credentials.markUsed(key.id, 160_000, 60_000);

          assert.equal(within, 100_000);
          assert.equal((await sut.credentials.findByHash('api-key', key.hash))?.lastUsedAt, 160_000);
        }));
    });

    describe('favourites', () => {
      it("adds once however often it is asked, lists a user's codes in code order, and removes only the owner's", () =>
        withStore(async (sut) => {
          await sut.favourites.add('uid-1', 'HL0503', 1_000);
          await sut.favourites.add('uid-1', 'HL0004', 2_000);
          await sut.favourites.add('uid-1', 'HL0503', 3_000);
          await sut.favourites.add('uid-2', 'HL0503', 1_000);

          assert.deepEqual(await sut.favourites.listOfUser('uid-1'), ['HL0004', 'HL0503']);
          assert.deepEqual(await sut.favourites.listOfUser('uid-3'), []);
          assert.equal(await sut.favourites.remove('uid-1', 'HL9999'), false);
          assert.equal(await sut.favourites.remove('uid-1', 'HL0004'), true);
          assert.equal(await sut.favourites.remove('uid-1', 'HL0004'), false);
          assert.deepEqual(await sut.favourites.listOfUser('uid-1'), ['HL0503']);
          assert.deepEqual(await sut.favourites.listOfUser('uid-2'), ['HL0503']);
        }));

      it("removes every favourite of one user, and no one else's", () =>
        withStore(async (sut) => {
          for (const code of ['HL0001', 'HL0002', 'HL0003']) await sut.favourites.add('uid-1', code, 1_000);
          await sut.favourites.add('uid-2', 'HL0001', 1_000);

          assert.equal(await sut.favourites.removeAllOfUser('uid-1'), 3);
          assert.deepEqual(await sut.favourites.listOfUser('uid-1'), []);
          assert.deepEqual(await sut.favourites.listOfUser('uid-2'), ['HL0001']);
        }));
    });

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

    it('counts hits in a fixed window and starts a new window once the old one has ended', () =>
      withStore(async (sut) => {
        const t0 = 5_000_000;
        assert.deepEqual(await sut.counters.hit('anon:192.0.2.1', 60_000, t0), { count: 1, resetAt: t0 + 60_000 });
        assert.deepEqual(await sut.counters.hit('anon:192.0.2.1', 60_000, t0 + 59_999), {
          count: 2,
          resetAt: t0 + 60_000,
        });
        assert.deepEqual(await sut.counters.hit('anon:192.0.2.2', 60_000, t0 + 10), { count: 1, resetAt: t0 + 60_010 });
        assert.deepEqual(await sut.counters.hit('anon:192.0.2.1', 60_000, t0 + 60_000), {
          count: 1,
          resetAt: t0 + 120_000,
        });
      }));

    it('counts concurrent hits on one key exactly, each hit seeing a distinct count', () =>
      withStore(async (sut) => {
        const t0 = 5_000_000;
        const hits = await Promise.all(Array.from({ length: 8 }, () => sut.counters.hit('anon:a', 60_000, t0)));
        assert.deepEqual(
          hits.map((h) => h.count).sort((a, b) => a - b),
          [1, 2, 3, 4, 5, 6, 7, 8],
        );
        assert.ok(hits.every((h) => h.resetAt === t0 + 60_000));
      }));

    it('prunes only the counters whose window has ended', () =>
      withStore(async (sut) => {
        await sut.counters.hit('old', 1_000, 1_000);
        await sut.counters.hit('current', 1_000, 5_000);
        assert.equal(await sut.counters.prune(5_500), 1);
        assert.deepEqual(await sut.counters.hit('current', 1_000, 5_600), { count: 2, resetAt: 6_000 });
        assert.deepEqual(await sut.counters.hit('old', 1_000, 5_600), { count: 1, resetAt: 6_600 });
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

    describe('the v2 stream query', () => {
      const base = {
        fromUtc: '2020-12-01T00:00:00.000Z',
        toUtc: '2020-12-31T00:00:00.000Z',
        order: 'asc',
        limit: 50,
      } as const;
      // 20201209 230000 Japan time is 14:00 UTC.
      const at = (datetime: string, code: string, extra: Record<string, unknown> = {}, more: Partial<Stream> = {}) =>
        makeStream(datetime, { key: `${code}_${datetime.replace(' ', '_')}`, extra, ...more });

      it('finds the streams that start in [from, to), in start order with ties by key, or the reverse', () =>
        withStore(async (sut) => {
          const a = at('20201209 230000', 'HL0503', { start_utc: '2020-12-09T14:00:00.000Z' });
          const b = at('20201209 230000', 'HL0001', { start_utc: '2020-12-09T14:00:00.000Z' });
          const legacy = at('20201210 090000', 'HL0G02');
          const before = at('20201201 085959', 'HL0001');
          const atTo = at('20201231 090000', 'HL0001');
          await sut.streams.upsertMany([a, legacy, b, before, atTo]);

          const asc = await sut.streams.query({ ...base });
          const desc = await sut.streams.query({ ...base, order: 'desc' });

          assert.deepEqual(
            asc.map((s) => s.key),
            [b.key, a.key, legacy.key],
          );
          assert.deepEqual(
            desc.map((s) => s.key),
            [legacy.key, a.key, b.key],
          );
          assert.deepEqual(asc[1], a, 'the stream comes back as stored, without the fields the query uses');
        }));

      it('filters by talent codes and by status, derived from what the collector stored', () =>
        withStore(async (sut) => {
          const live = at('20201209 200000', 'HL0001', { live_status: 'live' });
          const upcoming = at('20201209 210000', 'HL0503', { live_status: 'upcoming' });
          const gone = at('20201209 220000', 'HL0503', {
            live_status: 'upcoming',
            disappeared_at: '2020-12-09T12:00:00Z',
          });
          const ended = at('20201209 230000', 'HL0G02', { live_status: 'completed' });
          const legacy = at('20201210 000000', 'HL0001');
          await sut.streams.upsertMany([live, upcoming, gone, ended, legacy]);
          const keys = async (q: Partial<StreamQuery>) =>
            (await sut.streams.query({ ...base, ...q })).map((s) => s.key);

          assert.deepEqual(await keys({ talents: ['HL0503'] }), [upcoming.key, gone.key]);
          assert.deepEqual(await keys({ talents: ['HL0001', 'HL0G02'] }), [live.key, ended.key, legacy.key]);
          assert.deepEqual(await keys({ statuses: ['live'] }), [live.key]);
          assert.deepEqual(await keys({ statuses: ['missing'] }), [gone.key]);
          assert.deepEqual(await keys({ statuses: ['ended'] }), [ended.key, legacy.key]);
          assert.deepEqual(await keys({ statuses: ['upcoming'], talents: ['HL0503'] }), [upcoming.key]);
          assert.deepEqual(await keys({ talents: [] }), []);
        }));

      it('keeps the status in step with later writes: marked gone, then seen again', () =>
        withStore(async (sut) => {
          const s = at('20201209 200000', 'HL0001', { live_status: 'upcoming' });
          await sut.streams.upsertMany([s]);
          await sut.streams.upsertMany([{ ...s, extra: { disappeared_at: '2020-12-09T10:00:00Z' } }]);
          const missing = await sut.streams.query({ ...base, statuses: ['missing'] });
          await sut.streams.upsertMany([{ ...s, extra: { disappeared_at: null, live_status: 'live' } }]);
          const live = await sut.streams.query({ ...base, statuses: ['live'] });

          assert.deepEqual(
            missing.map((x) => x.key),
            [s.key],
          );
          assert.deepEqual(
            live.map((x) => x.key),
            [s.key],
          );
        }));

      it('finds text in titles, talent names and collaborator names, whatever its width and case', () =>
        withStore(async (sut) => {
          const fullWidth = at('20201209 200000', 'HL0001', {}, { title: 'ＡＰＥＸ ランク' });
          const halfWidth = at('20201209 210000', 'HL0503', {}, { title: 'ﾏｲﾝｸﾗﾌﾄ 建築 ｶﾞﾝﾀﾞﾑ　２４時間' });
          const collab = at(
            '20201209 220000',
            'HL0G02',
            { collaborators: [{ code: 'HL0501', name: '獅白ぼたん', avatar: 'https://example.test/b.png' }] },
            { title: 'コラボ', name: '大神ミオ' },
          );
          await sut.streams.upsertMany([fullWidth, halfWidth, collab]);
          const keys = async (needle: string, talents: string[] = []) =>
            (await sut.streams.query({ ...base, text: { needle, talents } })).map((s) => s.key);

          assert.deepEqual(await keys('apex'), [fullWidth.key]);
          assert.deepEqual(await keys('マインクラフト'), [halfWidth.key]);
          assert.deepEqual(await keys('ガンダム 24時間'), [halfWidth.key]);
          assert.deepEqual(await keys('a.e'), [], 'pattern characters are text');
          assert.deepEqual(await keys('獅白'), [collab.key]);
          assert.deepEqual(await keys('大神'), [collab.key]);
          assert.deepEqual(await keys('50%'), []);
          assert.deepEqual(await keys('nothing', ['HL0503']), [halfWidth.key], 'or a stream of a talent so named');
        }));

      it('pages after a position in either order, each stream once', () =>
        withStore(async (sut) => {
          const streams = Array.from({ length: 7 }, (_, i) => at(`2020120${1 + (i % 3)} 1${i}0000`, `HL000${i}`));
          await sut.streams.upsertMany(streams);
          for (const order of ['asc', 'desc'] as const) {
            const seen: string[] = [];
            let after: StreamQuery['after'];
            for (;;) {
              const page = await sut.streams.query({ ...base, order, limit: 3, ...(after ? { after } : {}) });
              seen.push(...page.map((s) => s.key));
              if (page.length < 3) break;
              const last = page.at(-1)!;
              after = { start: orderStartOf(last), key: last.key };
            }
            const expected = streams
              .map((s) => [orderStartOf(s), s.key] as const)
              .sort((x, y) => (x[0] + x[1]).localeCompare(y[0] + y[1]))
              .map((x) => x[1]);
            assert.deepEqual(seen, order === 'asc' ? expected : expected.reverse(), order);
          }
        }));

      it('moves a rescheduled stream in the query too', () =>
        withStore(async (sut) => {
          const before = at('20201209 230000', 'HL0503', { start_utc: '2020-12-09T14:00:00.000Z' });
          await sut.streams.upsertMany([before]);
          const after = {
            ...before,
            key: 'HL0503_20201220_230000',
            datetime: '20201220 230000',
            extra: { start_utc: '2020-12-20T14:00:00.000Z' },
          };
          await sut.streams.moveStream(before.key, after);

          const found = await sut.streams.query({ ...base, fromUtc: '2020-12-15T00:00:00.000Z' });
          assert.deepEqual(
            found.map((s) => s.key),
            [after.key],
          );
        }));
    });

    it('keeps talent records: fields set, removed with null, listed by code', () =>
      withStore(async (sut) => {
        assert.deepEqual(await sut.talents.list(), []);
        await sut.talents.update('XX0000BEEF', { seen_name: '新人', seen_avatar: 'https://example.test/a.png' });
        await sut.talents.update('HL0001', { name_en: 'Sora' });
        const updated = await sut.talents.update('XX0000BEEF', {
          name: 'Newcomer',
          group: 'hololive_jp_0',
          seen_avatar: null,
        });

        assert.deepEqual(updated, { code: 'XX0000BEEF', seen_name: '新人', name: 'Newcomer', group: 'hololive_jp_0' });
        assert.deepEqual(await sut.talents.list(), [{ code: 'HL0001', name_en: 'Sora' }, updated]);
      }));

    it('creates, finds, lists and removes users', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '2', username: 'user02', password: 'password02' });
        await sut.users.create({ id: '1', username: 'user01', password: 'password01', role: 'admin' });
        assert.deepEqual(made(await sut.users.findByUsername('user01')), {
          id: '1',
          username: 'user01',
          password: 'password01',
          role: 'admin',
          disabled: false,
          tokenVersion: 0,
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

    it('refuses a second user with the same username as a conflict', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'a' });
        await assert.rejects(sut.users.create({ id: '9', username: 'user01', password: 'b' }), (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.equal(err.kind, 'conflict');
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
        assert.deepEqual(made(await sut.users.findByUsername('user01')), {
          id: '1',
          username: 'user01',
          password: 'hash3',
          role: 'user',
          disabled: false,
          tokenVersion: 0,
          extra: { note: 'kept' },
        });
      }));

    it('sets and removes fields of our own on a user, leaving the contract fields alone', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'p', extra: { team: 'gamers' } });
        assert.equal(await sut.users.updateExtra('user01', { role: 'admin', disabled: true }), true);
        assert.equal(await sut.users.updateExtra('user01', { disabled: undefined }), true);
        assert.equal(await sut.users.updateExtra('nobody', { role: 'admin' }), false);
        assert.deepEqual(made(await sut.users.findByUsername('user01')), {
          id: '1',
          username: 'user01',
          password: 'p',
          role: 'admin',
          disabled: false,
          tokenVersion: 0,
          extra: { team: 'gamers' },
        });
      }));

    it('reads role, disabled flag and token version as typed fields once; a value of another type stays unknown', () =>
      withStore(async (sut) => {
        await sut.users.create({
          id: '1',
          username: 'user01',
          password: 'p',
          extra: { role: 'admin', disabled: true, token_version: 3, team: 'gamers' },
        });
        await sut.users.create({ id: '2', username: 'user02', password: 'p', extra: { role: 'moderator' } });
        const first = (await sut.users.findByUsername('user01'))!;
        assert.deepEqual(
          [first.role, first.disabled, first.tokenVersion, first.extra],
          ['admin', true, 3, { team: 'gamers' }],
        );
        const second = (await sut.users.findByUsername('user02'))!;
        assert.deepEqual(
          [second.role, second.disabled, second.tokenVersion, second.extra],
          ['user', false, 0, { role: 'moderator' }],
        );
      }));

    it('gives every new user a uid of its own, finds users by it, and never reuses it for the same name', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'bob', password: 'p' });
        await sut.users.create({ id: '2', username: 'carol', password: 'p' });
        const bob = (await sut.users.findByUsername('bob'))!;
        const carol = (await sut.users.findByUsername('carol'))!;
        assert.match(bob.uid, UUID);
        assert.notEqual(bob.uid, carol.uid);
        assert.equal((await sut.users.findByUid(bob.uid))?.username, 'bob');
        assert.equal((await sut.users.findByUsername('bob'))?.uid, bob.uid, 'reading again gives the same uid');

        await sut.users.remove('bob');
        await sut.users.create({ id: '1', username: 'bob', password: 'q' });
        const again = (await sut.users.findByUsername('bob'))!;
        assert.notEqual(again.uid, bob.uid, 'a new bob is someone else');
        assert.equal(await sut.users.findByUid(bob.uid), null);
        assert.equal(await sut.users.findByUid('no-such-uid'), null);
      }));

    it('keeps a uid and creation time it is given (a migration), and stamps the creation time otherwise', () =>
      withStore(async (sut) => {
        const before = Date.now();
        const uid = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
        assert.equal(
          await sut.users.insertIfAbsent({ id: '1', username: 'moved', password: 'p', uid, createdAt: 5 }),
          true,
        );
        await sut.users.create({ id: '2', username: 'fresh', password: 'p' });
        const moved = (await sut.users.findByUsername('moved'))!;
        assert.equal(moved.uid, uid);
        assert.equal(moved.createdAt, 5);
        const fresh = (await sut.users.findByUsername('fresh'))!;
        assert.ok(fresh.createdAt! >= before && fresh.createdAt! <= Date.now());
      }));

    it('never lets fields of our own be set or shadowed through extra', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'p', extra: { uid: 'forged', created_at: 1 } });
        const user = (await sut.users.findByUsername('user01'))!;
        assert.match(user.uid, UUID);
        assert.notEqual(user.createdAt, 1);
        assert.equal(await sut.users.updateExtra('user01', { uid: 'forged', created_at: 1, note: 'kept' }), true);
        assert.deepEqual(await sut.users.findByUsername('user01'), { ...user, extra: { note: 'kept' } });
        assert.equal(await sut.users.findByUid('forged'), null);
      }));

    it('bumps a token version from nothing, one at a time', () =>
      withStore(async (sut) => {
        await sut.users.create({ id: '1', username: 'user01', password: 'p' });
        assert.equal(await sut.users.bumpTokenVersion('user01'), 1);
        assert.equal(await sut.users.bumpTokenVersion('user01'), 2);
        assert.equal(await sut.users.bumpTokenVersion('nobody'), null);
        assert.equal((await sut.users.findByUsername('user01'))?.tokenVersion, 2);
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

    it('keeps a revocation revoked again until the later of its expiries', () =>
      withStore(async (sut) => {
        const now = Date.now();
        await sut.auth.revokeAccessToken('fam:f1', now + 60_000);
        await sut.auth.revokeAccessToken('fam:f1', now - 1000);
        await sut.auth.pruneExpired(now);
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:f1'), true);
        await sut.auth.revokeAccessToken('fam:f1', now + 120_000);
        await sut.auth.pruneExpired(now + 90_000);
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:f1'), true, 'extended by the later revocation');
        await sut.auth.pruneExpired(now + 150_000);
        assert.equal(await sut.auth.isAccessTokenRevoked('fam:f1'), false, 'pruned after expiry');
      }));

    it('lets a refresh token be used once; later uses are reuse, and a revoked family stays revoked', () =>
      withStore(async (sut) => {
        const expiresAt = Date.now() + 60_000;
        const record = { family: 'f1', userId: 'u1', username: 'user01', expiresAt };
        await sut.auth.saveRefreshToken({ jti: 'r1', ...record });
        await sut.auth.saveRefreshToken({ jti: 'r2', ...record });
        const uses = await Promise.all([sut.auth.useRefreshToken('r1', 'u1'), sut.auth.useRefreshToken('r1', 'u1')]);
        assert.deepEqual(uses.sort(), ['fresh', 'reused']);
        assert.equal(await sut.auth.useRefreshToken('nope', 'u1'), 'unknown');
        await sut.auth.revokeRefreshFamily('f1');
        assert.equal(await sut.auth.useRefreshToken('r2', 'u1'), 'revoked');
      }));

    it('honours a refresh token only for the user it was issued to', () =>
      withStore(async (sut) => {
        await sut.auth.saveRefreshToken({
          jti: 'r1',
          family: 'f1',
          userId: 'u1',
          username: 'bob',
          expiresAt: Date.now() + 60_000,
        });
        assert.equal(await sut.auth.useRefreshToken('r1', 'u2'), 'unknown', 'another user (a new bob)');
        assert.equal(await sut.auth.useRefreshToken('r1', 'u1'), 'fresh', 'untouched by the attempt');
      }));

    it('keeps a login counter that changes only when it is still what the caller read', () =>
      withStore(async (sut) => {
        const first = { count: 1, windowStart: 1_000_000, lastAt: 1_000_000 };
        const second = { count: 2, windowStart: 1_000_000, lastAt: 1_000_010 };
        assert.equal(await sut.auth.loginCounter('user:a'), null);
        assert.equal(await sut.auth.swapLoginCounter('user:a', null, null), true);
        assert.equal(await sut.auth.swapLoginCounter('user:a', null, first), true);
        assert.equal(await sut.auth.swapLoginCounter('user:a', null, second), false, 'there is one already');
        assert.deepEqual(await sut.auth.loginCounter('user:a'), first);
        assert.equal(await sut.auth.swapLoginCounter('user:a', first, second), true);
        assert.equal(await sut.auth.swapLoginCounter('user:a', first, { ...second, count: 3 }), false, 'stale');
        assert.deepEqual(await sut.auth.loginCounter('user:a'), second);
        assert.equal(await sut.auth.swapLoginCounter('user:a', first, null), false, 'stale');
        assert.equal(await sut.auth.swapLoginCounter('user:a', second, null), true);
        assert.equal(await sut.auth.loginCounter('user:a'), null);
        await sut.auth.swapLoginCounter('user:b', null, first);
        await sut.auth.clearLoginFailures('user:b');
        assert.equal(await sut.auth.loginCounter('user:b'), null);
      }));

    it('lets exactly one of many parallel compare-and-sets from the same counter win', () =>
      withStore(async (sut) => {
        const read = { count: 1, windowStart: 1_000_000, lastAt: 1_000_000 };
        await sut.auth.swapLoginCounter('ip:1', null, read);
        const won = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            sut.auth.swapLoginCounter('ip:1', read, { ...read, count: 2, lastAt: read.lastAt + i + 1 }),
          ),
        );
        assert.equal(won.filter(Boolean).length, 1);
        const starts = await Promise.all(
          Array.from({ length: 10 }, (_, i) => sut.auth.swapLoginCounter('ip:2', null, { ...read, lastAt: i })),
        );
        assert.equal(starts.filter(Boolean).length, 1);
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

    describe('the change log', () => {
      const change = (n: number): NewChange => ({
        type: 'stream.added',
        talent: `HL${String(n).padStart(4, '0')}`,
        data: JSON.stringify({ n }),
      });

      it('hands out growing sequences and gives the changes back after a sequence, in order', () =>
        withStore(async (sut) => {
          assert.deepEqual(await sut.changes.bounds(), { oldest: null, newest: null, issued: 0 });
          const first = await sut.changes.append([change(1), change(2)], 1000);
          const second = await sut.changes.append([change(3)], 2000);
          assert.equal(first.length, 2);
          assert.ok(first[0]! < first[1]! && first[1]! < second[0]!);

          const all = await sut.changes.after(0, 10);
          assert.deepEqual(
            all.map((c) => [c.seq, c.type, c.talent, c.at, JSON.parse(c.data).n]),
            [
              [first[0], 'stream.added', 'HL0001', 1000, 1],
              [first[1], 'stream.added', 'HL0002', 1000, 2],
              [second[0], 'stream.added', 'HL0003', 2000, 3],
            ],
          );
          assert.deepEqual(
            (await sut.changes.after(first[0]!, 1)).map((c) => c.seq),
            [first[1]],
          );
          assert.deepEqual(await sut.changes.bounds(), { oldest: first[0], newest: second[0], issued: second[0] });
        }));

      it('prunes by age and by count, and never hands a pruned sequence out again', () =>
        withStore(async (sut) => {
          await sut.changes.append([change(1)], 1000);
          await sut.changes.append([change(2), change(3), change(4)], 5000);
          assert.equal(await sut.changes.prune(2000, 100), 1);
          assert.equal(await sut.changes.prune(0, 2), 1);
          const kept = await sut.changes.after(0, 10);
          assert.deepEqual(
            kept.map((c) => JSON.parse(c.data).n),
            [3, 4],
          );
          await sut.changes.prune(Number.MAX_SAFE_INTEGER, 100);
          const empty = await sut.changes.bounds();
          assert.deepEqual([empty.oldest, empty.newest], [null, null]);
          assert.equal(empty.issued, kept[1]!.seq);
          const [next] = await sut.changes.append([change(5)], 6000);
          assert.ok(next! > kept[1]!.seq);
        }));

      it('claims a single-use id once, and forgets it once expired', () =>
        withStore(async (sut) => {
          assert.equal(await sut.changes.claimOnce('jti-1', 2000, 1000), true);
          assert.equal(await sut.changes.claimOnce('jti-1', 2000, 1500), false);
          assert.equal(await sut.changes.claimOnce('jti-2', 2000, 1500), true);
          assert.equal(await sut.changes.claimOnce('jti-1', 9000, 3000), true);
        }));
    });

    it('reports itself healthy', () =>
      withStore(async (sut) => {
        const health = await sut.health();
        assert.equal(health.ok, true);
        assert.equal(health.store, sut.kind);
      }));
  });
}
