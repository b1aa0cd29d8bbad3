// The v2 paging cursor: opaque to clients, tamper-evident (HMAC), and bound to the query it came from.
// It carries the position (start, key) of the last stream served and the window of the first page, so a query
// whose window defaults to "now" keeps the same window across its pages however long the client takes.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { invalidParameter } from '../errors.js';
import { MAX_CURSOR_CHARS } from '../schemas/limits.js';

export interface CursorState {
  /** The last stream served: start (RFC 3339 UTC) and key. */
  start: string;
  key: string;
  fromUtc: string;
  toUtc: string;
  /** The digest of the filter the first page was asked with (filterDigest). */
  filter: string;
}

const MAC_BYTES = 16;

/** A short digest of the parameters that define a result (not the cursor, not the limit). */
export const filterDigest = (filter: unknown): string =>
  createHash('sha256').update(JSON.stringify(filter)).digest('base64url').slice(0, 16);

export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, MAC_BYTES);
  }

  encode(state: CursorState): string {
    const payload = Buffer.from(
      JSON.stringify([1, state.start, state.key, state.fromUtc, state.toUtc, state.filter]),
    ).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The state of a cursor this server made for this filter; anything else is a 400 naming `cursor`. */
  decode(cursor: string, filter: string): CursorState {
    const forged = () => invalidParameter('cursor', 'cursor is not one this server gave out; start again without it');
    if (cursor.length > MAX_CURSOR_CHARS) throw forged();
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length > 0) throw forged();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forged();
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw forged();
    }
    if (
      !Array.isArray(fields) ||
      fields[0] !== 1 ||
      fields.length !== 6 ||
      !fields.every((f, i) => i === 0 || typeof f === 'string')
    )
      throw forged();
    const [, start, key, fromUtc, toUtc, digest] = fields as [number, string, string, string, string, string];
    if (digest !== filter)
      throw invalidParameter('cursor', 'cursor belongs to a query with other parameters; start again without it');
    return { start, key, fromUtc, toUtc, filter: digest };
  }
}
