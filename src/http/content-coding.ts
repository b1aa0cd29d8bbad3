// Which stored encoding of an answer a request's Accept-Encoding asks for (RFC 9110 §12.5.3): Brotli, then gzip,
// among the codings it accepts with a weight above zero; anything else (no header, only unknown codings) is the
// body as is.
import type { DayEncoding } from '../store/day-answer.js';

const PREFERENCE: readonly DayEncoding[] = ['br', 'gzip'];
/** A header longer than this is not read (no client sends one): the body as is. */
const MAX_HEADER_LENGTH = 512;

/** The last header read and its answer: a client sends the same Accept-Encoding with every request. */
let last: { value: string; coding: DayEncoding } = { value: '', coding: 'identity' };

export function contentCodingOf(header: string | string[] | undefined): DayEncoding {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value === '' || value.length > MAX_HEADER_LENGTH) return 'identity';
  if (value === last.value) return last.coding;
  const coding = negotiate(value);
  last = { value, coding };
  return coding;
}

function negotiate(value: string): DayEncoding {
  const weights = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: string) => weights.get(coding) ?? (coding === 'gzip' ? weights.get('x-gzip') : undefined);
  let best: DayEncoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** The ETag of one encoding of a day's answer: the JSON's tag, with the coding named for a compressed body. */
export function tagOfEncoding(tag: string, encoding: DayEncoding): string {
  return encoding === 'identity' ? tag : `${tag.slice(0, -1)}-${encoding}"`;
}
