// A row of `holodules` <-> a stream: the contract's fields as columns, ours as JSON.
import { readStreamState } from '../stream-state.js';
import type { Stream, StreamState } from '../types.js';

export type StreamRow = Omit<Stream, 'extra' | keyof StreamState> & { extra: string | null };

export const parseExtra = (json: string | null): Record<string, unknown> | undefined =>
  json === null ? undefined : (JSON.parse(json) as Record<string, unknown>);

export const hasKeys = (o: Record<string, unknown> | undefined): o is Record<string, unknown> =>
  o !== undefined && Object.keys(o).length > 0;

export function toStream(row: StreamRow): Stream {
  const { extra, ...fields } = row;
  const parsed = parseExtra(extra);
  return hasKeys(parsed) ? readStreamState({ ...fields, extra: parsed }) : fields;
}
