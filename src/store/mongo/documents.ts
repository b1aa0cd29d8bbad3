// Documents in the original's shape <-> our records. Our own fields sit top-level beside the contract's.
import { ObjectId, type Document } from 'mongodb';
import { STREAM_FIELDS, type Stream, type User } from '../types.js';

export const USER_FIELDS = ['id', 'username', 'password'] as const;

// The original wrote strings; anything else found there is read as text rather than failing the request.
const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

function splitExtra(doc: Document, fields: readonly string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc)) {
    if (name !== '_id' && !fields.includes(name)) extra[name] = value;
  }
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/** Extra fields that may be stored: never `_id` and never one that would shadow a contract field. */
function storableExtra(extra: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (name !== '_id' && !fields.includes(name) && value !== undefined) kept[name] = value;
  }
  return kept;
}

export function toStream(doc: Document): Stream {
  const stream: Stream = {
    key: asText(doc.key),
    video_id: asText(doc.video_id),
    datetime: asText(doc.datetime),
    name: asText(doc.name),
    title: asText(doc.title),
    url: asText(doc.url),
    description: asText(doc.description),
  };
  const extra = splitExtra(doc, STREAM_FIELDS);
  return extra ? { ...stream, extra } : stream;
}

/** The fields to store for a stream: the contract's in its order, then ours (no `_id`). */
export function streamFields(stream: Stream): Document {
  const doc: Document = {};
  for (const field of STREAM_FIELDS) doc[field] = stream[field];
  return { ...doc, ...storableExtra(stream.extra, STREAM_FIELDS) };
}

/** A new stream document: `_id` first as the original's were, then the contract's order, then ours. */
export function newStreamDocument(stream: Stream): Document {
  return { _id: new ObjectId(), ...streamFields(stream) };
}

export function toUser(doc: Document): User {
  const user: User = { id: asText(doc.id), username: asText(doc.username), password: asText(doc.password) };
  const extra = splitExtra(doc, USER_FIELDS);
  return extra ? { ...user, extra } : user;
}

export function newUserDocument(user: User): Document {
  return {
    _id: new ObjectId(),
    id: user.id,
    username: user.username,
    password: user.password,
    ...storableExtra(user.extra, USER_FIELDS),
  };
}
