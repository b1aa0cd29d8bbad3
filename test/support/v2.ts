// v2 test helpers: streams placed in time (start_utc and the Japan-time datetime agree), problem assertions.
import assert from 'node:assert/strict';
import type { Stream } from '../../src/store/types.js';
import { makeStream } from './streams.js';

const JST_MS = 9 * 60 * 60 * 1000;
const contractDatetime = (time: number): string => {
  const t = new Date(time + JST_MS).toISOString();
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)} ${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}`;
};

/** A stream of talent `code` starting at `start` (epoch ms or RFC 3339), as the collector would store it. */
export function streamAt(
  start: number | string,
  code: string,
  extra: Record<string, unknown> = {},
  overrides: Partial<Stream> = {},
): Stream {
  const time = typeof start === 'number' ? start : Date.parse(start);
  const datetime = contractDatetime(time);
  return makeStream(datetime, {
    key: `${code}_${datetime.replace(' ', '_')}`,
    extra: { start_utc: new Date(time).toISOString(), ...extra },
    ...overrides,
  });
}

/** Asserts an RFC 9457 answer: status, media type, and the parameter at fault. */
export async function assertProblem(
  res: Response,
  status: number,
  parameter?: string,
): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  if (parameter !== undefined) assert.equal(body.parameter, parameter, text);
  return body;
}
