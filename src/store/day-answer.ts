// A day's v1 answer (`GET /holodules/<day>`) as stored bytes: the JSON body, its strong tag, and the body
// compressed with gzip and Brotli. Both stores keep one per day, written when the day's streams are, so a read
// is one lookup and nothing is serialized or compressed per request (docs/performance.md).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { STREAM_FIELDS, type Stream } from './types.js';

/** How a day's body is encoded: as is, or compressed (the HTTP content codings). */
export const DAY_ENCODINGS = ['identity', 'gzip', 'br'] as const;
export type DayEncoding = (typeof DAY_ENCODINGS)[number];

/** One encoding of a day's answer, and the strong tag of its JSON (the same for every encoding). */
export interface DayAnswer {
  body: Buffer;
  /** `"<22 base64url characters>"`: 128 bits of SHA-256 of the JSON bytes, the same on every instance. */
  tag: string;
}

/** Every encoding of a day's answer, as stored. */
export interface EncodedDay {
  tag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

// Quality 5 compresses 20 KB of schedule JSON to within a few per cent of quality 11 in a tenth of the time: a
// write of a whole imported database stays quick, and nothing is ever compressed on a read.
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/** The contract's JSON for a day's streams (newest first), byte for byte what the route's schema writes. */
export function dayJson(streams: readonly Stream[]): string {
  const holodules = streams.map((s) => {
    const fields: Record<string, string> = {};
    for (const field of STREAM_FIELDS) fields[field] = s[field];
    return fields;
  });
  return JSON.stringify({ result: streams.length, holodules });
}

/** The strong tag of these bytes (as http-cache's etagOf makes it). */
export const tagOf = (body: Buffer): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

/** A day's answer in every encoding; a day without streams has none (the contract's 404). */
export function encodeDay(streams: readonly Stream[]): EncodedDay | null {
  if (streams.length === 0) return null;
  const identity = Buffer.from(dayJson(streams));
  return {
    tag: tagOf(identity),
    identity,
    gzip: gzipSync(identity, { level: GZIP_LEVEL }),
    br: brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  };
}

/** The calendar day (YYYYMMDD) a stream belongs to in the day query: its datetime's first eight characters. */
export const dayOfDatetime = (datetime: string): string => datetime.slice(0, 8);
