// Documents in the original's shape <-> our records. Our own fields sit top-level beside the contract's.
import { createHash } from 'node:crypto';
import { BSON, ObjectId, type Document } from 'mongodb';
import { type NewUser, OWN_USER_FIELDS, STREAM_FIELDS, type Stream, type User } from '../types.js';
import { readStreamState, storedExtraOf } from '../stream-state.js';
import { readUserState, storedStateOf } from '../user-state.js';

export const USER_FIELDS = ['id', 'username', 'password'] as const;
/** The user fields read as fields of the record, not kept under `extra`: the contract's, then ours. */
const USER_RECORD_FIELDS: readonly string[] = [...USER_FIELDS, ...OWN_USER_FIELDS];

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
  return extra ? readStreamState({ ...stream, extra }) : stream;
}

/** The fields to store for a stream: the contract's in its order, then ours (no `_id`). */
export function streamFields(stream: Stream): Document {
  const doc: Document = {};
  for (const field of STREAM_FIELDS) doc[field] = stream[field];
  return { ...doc, ...storableExtra(storedExtraOf(stream), STREAM_FIELDS) };
}

/** A new stream document: `_id` first as the original's were, then the contract's order, then ours. */
export function newStreamDocument(stream: Stream): Document {
  return { _id: new ObjectId(), ...streamFields(stream) };
}

/**
 * The uid of a document stored without one (the original's users, or one inserted by hand later): made from
 * its `_id`, so every instance that meets the document gives it the same uid, however they race. An `_id`
 * is never reused, so neither is the uid. Formatted as a UUID (version 8, RFC 9562) like the random ones.
 */
export function uidOfDocumentId(id: unknown): string {
  const digest = createHash('sha256')
    .update('holodule user uid\0')
    .update(BSON.serialize({ _id: id }))
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A stored user; one without a (string) uid is given the one its `_id` makes (see `uidOfDocumentId`). */
export function toUser(doc: Document): User {
  const { state, extra } = readUserState(splitExtra(doc, USER_RECORD_FIELDS));
  const user: User = {
    id: asText(doc.id),
    username: asText(doc.username),
    password: asText(doc.password),
    uid: typeof doc.uid === 'string' && doc.uid !== '' ? doc.uid : uidOfDocumentId(doc._id),
    ...state,
  };
  if (typeof doc.created_at === 'number') user.createdAt = doc.created_at;
  return extra ? { ...user, extra } : user;
}

/** A new user document: `_id`, the contract's fields in order, then ours (uid, created_at, the rest). */
export function newUserDocument(user: NewUser, makeUid: () => string): Document {
  return {
    _id: new ObjectId(),
    id: user.id,
    username: user.username,
    password: user.password,
    uid: user.uid || makeUid(),
    created_at: user.createdAt ?? Date.now(),
    ...storableExtra(storedStateOf(user), USER_RECORD_FIELDS),
  };
}
