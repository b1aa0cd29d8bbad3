// The v2 rows: a one-week window (main and large data), a talent filter, and /api/v2/live, each beside a peer
// that serves holodule's own answer for the same path from memory (bench/peers/ceiling-v2.ts).
import { copyFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Stream } from '../src/store/types.js';
import { TALENTS } from '../src/talents/directory.js';
import { dayOf } from './generate-schedule.js';
import { BENCH_USER } from './prepare-data.js';
import type { RowSpec } from './run-row.js';
import { startServerProcess, type ServerSpec } from './server-process.js';

const HOUR_MS = 3_600_000;

const isoDay = (dayIndex: number): string => {
  const d = dayOf(dayIndex);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
};

/** The v2 rows, in table order. */
export const V2_ROW_IDS = [
  'v2-peer-week',
  'holodule-v2-week',
  'holodule-v2-week-large',
  'v2-peer-talent',
  'holodule-v2-talent',
  'v2-peer-live',
  'holodule-v2-live',
];

export interface V2Paths {
  week: string;
  talent: string;
  live: string;
}

export function v2Paths(dayIndex: number): V2Paths {
  return {
    // A bare day is that day in Japan time; `to` is inclusive of its day: seven days.
    week: `/api/v2/streams?from=${isoDay(dayIndex)}&to=${isoDay(dayIndex + 6)}`,
    talent: `/api/v2/streams?from=${isoDay(dayIndex)}&to=${isoDay(dayIndex + 29)}&talent=HL0503`,
    live: '/api/v2/live',
  };
}

/** A copy of the main file with streams live now and due in the next hours, so /api/v2/live has an answer. */
export async function liveFileFrom(mainFile: string, runDir: string): Promise<string> {
  const path = join(runDir, 'v2-live.sqlite');
  copyFileSync(mainFile, path);
  const store = new SqliteStore(path);
  const now = Date.now();
  const streams: Stream[] = Array.from({ length: 40 }, (_, i) => {
    const talent = TALENTS[i % TALENTS.length]!;
    // Ten live (started in the last hour), thirty due between one and five hours from now: stable for the run.
    const start = i < 10 ? now - (i + 1) * 5 * 60_000 : now + HOUR_MS + (i - 10) * 8 * 60_000;
    const jst = new Date(start + 9 * HOUR_MS).toISOString();
    const datetime = `${jst.slice(0, 4)}${jst.slice(5, 7)}${jst.slice(8, 10)} ${jst.slice(11, 13)}${jst.slice(14, 16)}00`;
    const id = `benchLive${String(i).padStart(2, '0')}`;
    return {
      key: `${talent.code}_${datetime.replace(' ', '_')}`,
      video_id: id,
      datetime,
      name: talent.name,
      title: `bench ${i}`,
      url: `https://www.youtube.com/watch?v=${id}`,
      description: '',
      extra: { start_utc: new Date(start).toISOString(), live_status: i < 10 ? 'live' : 'upcoming' },
    };
  });
  try {
    await store.streams.upsertMany(streams);
  } finally {
    await store.close();
  }
  return path;
}

/** holodule's answers for the v2 paths, read once from a server on `file`: what the peer serves and rows expect. */
export async function answersFrom(
  spec: ServerSpec,
  paths: string[],
  logPath: string,
): Promise<Record<string, unknown>> {
  const server = await startServerProcess(spec, logPath);
  try {
    const res = await fetch(`${server.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_USER),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const answers: Record<string, unknown> = {};
    for (const path of paths) {
      const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `JWT ${access_token}` } });
      if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
      answers[path] = await answer.json();
    }
    return answers;
  } finally {
    await server.stop();
  }
}

export function peerSpec(answersFile: string, name: string): ServerSpec {
  return {
    name,
    args: [fileURLToPath(new URL('./peers/ceiling-v2.js', import.meta.url))],
    env: { BENCH_ANSWERS_FILE: answersFile },
  };
}

export interface V2RowPlan {
  rows: RowSpec[];
  /** Each holodule row's peer row id. */
  peers: Record<string, string>;
}

/** Writes the answers file and plans the rows; `holodule(name, file)` gives holodule's server on a file. */
export async function planV2Rows(options: {
  dayIndex: number;
  mainFile: string;
  largeFile: string | undefined;
  runDir: string;
  size: (n: number) => string;
  streams: number;
  largeStreams: number;
  holodule: (name: string, file: string) => ServerSpec;
  wanted: (id: string) => boolean;
}): Promise<V2RowPlan> {
  const paths = v2Paths(options.dayIndex);
  const liveFile = await liveFileFrom(options.mainFile, options.runDir);
  const answers = {
    ...(await answersFrom(
      options.holodule('v2-answers', options.mainFile),
      [paths.week, paths.talent],
      join(options.runDir, 'v2-answers.log'),
    )),
    ...(await answersFrom(
      options.holodule('v2-answers-live', liveFile),
      [paths.live],
      join(options.runDir, 'v2-answers-live.log'),
    )),
  };
  const answersFile = join(options.runDir, 'v2-answers.json');
  writeFileSync(answersFile, JSON.stringify(answers));
  const row = (id: string, label: string, server: ServerSpec, path: string, login: boolean): RowSpec => ({
    id,
    label,
    server,
    kind: 'day',
    dayPath: path,
    expectedDay: answers[path],
    login,
  });
  const main = options.size(options.streams);
  const rows: RowSpec[] = [
    row(
      'v2-peer-week',
      'v2 peer: bare Fastify, one week from memory',
      peerSpec(answersFile, 'v2-peer-week'),
      paths.week,
      false,
    ),
    row(
      'holodule-v2-week',
      `holodule GET /api/v2/streams one week, SQLite ${main}`,
      options.holodule('holodule-v2-week', options.mainFile),
      paths.week,
      true,
    ),
    ...(options.largeFile
      ? [
          row(
            'holodule-v2-week-large',
            `holodule GET /api/v2/streams one week, SQLite ${options.size(options.largeStreams)}`,
            options.holodule('holodule-v2-week-large', options.largeFile),
            paths.week,
            true,
          ),
        ]
      : []),
    row(
      'v2-peer-talent',
      'v2 peer: bare Fastify, talent filter from memory',
      peerSpec(answersFile, 'v2-peer-talent'),
      paths.talent,
      false,
    ),
    row(
      'holodule-v2-talent',
      `holodule GET /api/v2/streams talent=HL0503, 30 days, SQLite ${main}`,
      options.holodule('holodule-v2-talent', options.mainFile),
      paths.talent,
      true,
    ),
    row(
      'v2-peer-live',
      'v2 peer: bare Fastify, live now from memory',
      peerSpec(answersFile, 'v2-peer-live'),
      paths.live,
      false,
    ),
    row(
      'holodule-v2-live',
      `holodule GET /api/v2/live, SQLite ${main} + 40 around now`,
      options.holodule('holodule-v2-live', liveFile),
      paths.live,
      true,
    ),
  ].filter((r) => options.wanted(r.id));
  return {
    rows,
    peers: {
      'holodule-v2-week': 'v2-peer-week',
      'holodule-v2-week-large': 'v2-peer-week',
      'holodule-v2-talent': 'v2-peer-talent',
      'holodule-v2-live': 'v2-peer-live',
    },
  };
}
