// holodule's own cost on the MongoDB code path, apart from the database's: the store calls a day query makes,
// timed one at a time inside this process, minus the time between the driver sending each command and its reply
// being decoded (command monitoring). What is left is holodule's code (guards, mapping documents to streams,
// answers to bytes) plus the driver's own work before sending: a regression there shows even when the server
// (FerretDB, slow) dominates the HTTP row.
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../src/store/mongo/mongo-store.js';
import { BENCH_USER } from './prepare-data.js';
import type { RowResult } from './report.js';

export const MONGO_OVERHEAD_ROW_ID = 'holodule-mongodb-overhead';

export interface OverheadFigure {
  operation: string;
  calls: number;
  /** Medians over the calls, in microseconds: the whole call, the driver's round trips in it, and the rest. */
  callUs: number;
  roundTripUs: number;
  ownUs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

export async function runMongoOverheadRow(options: {
  id: string;
  label: string;
  url: string;
  database: string;
  day: string;
  streams: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<RowResult> {
  const base = {
    id: options.id,
    label: options.label,
    request: `store calls of GET /holodules/${options.day}, one at a time`,
    streams: options.streams,
    connections: 1,
  };
  options.log(`▶ ${options.label}`);
  const client = new MongoClient(options.url, { monitorCommands: true });
  try {
    await client.connect();
    const store = new MongoStore(client, client.db(options.database), 10_000);
    const sent = new Map<number, number>();
    let roundTrips = 0;
    client.on('commandStarted', (e) => sent.set(e.requestId, performance.now()));
    const replied = (e: { requestId: number }) => {
      const at = sent.get(e.requestId);
      if (at !== undefined) roundTrips += performance.now() - at;
      sent.delete(e.requestId);
    };
    client.on('commandSucceeded', replied);
    client.on('commandFailed', replied);

    const user = await store.users.findByUsername(BENCH_USER.username);
    if (!user) throw new Error('the bench user is missing from MongoDB');
    // What a request does: the token's user and revocation, then the day's answer (kept) or its streams.
    const operations: Array<[string, () => Promise<unknown>]> = [
      ['streams.findDayAnswer (identity)', () => store.streams.findDayAnswer(options.day, 'identity')],
      ['streams.findDayAnswer (br)', () => store.streams.findDayAnswer(options.day, 'br')],
      ['streams.findByDay', () => store.streams.findByDay(options.day)],
      ['users.findByUid', () => store.users.findByUid(user.uid)],
      ['auth.isAccessTokenRevoked', () => store.auth.isAccessTokenRevoked('fam:bench-not-revoked')],
    ];
    const figures: OverheadFigure[] = [];
    const budgetMs = (options.seconds * 1000) / operations.length;
    for (const [operation, call] of operations) {
      await call();
      const calls: number[] = [];
      const trips: number[] = [];
      const until = performance.now() + budgetMs;
      while (performance.now() < until || calls.length < 5) {
        roundTrips = 0;
        const started = performance.now();
        await call();
        calls.push((performance.now() - started) * 1000);
        trips.push(roundTrips * 1000);
      }
      const own = calls.map((c, i) => c - trips[i]!);
      const figure = {
        operation,
        calls: calls.length,
        callUs: Math.round(median(calls)),
        roundTripUs: Math.round(median(trips)),
        ownUs: Math.round(median(own)),
      };
      options.log(`  ${operation}: ${figure.ownUs} µs own of ${figure.callUs} µs (${figure.calls} calls)`);
      figures.push(figure);
    }
    return { ...base, overhead: figures };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    options.log(`  failed: ${message}`);
    return { ...base, error: message };
  } finally {
    await client.close();
  }
}
