// API keys and calendar feeds in a collection of our own: one document each (`_id` the id), found by the
// SHA-256 of the secret through a unique index.
import type { Collection } from 'mongodb';
import type { CredentialKind, CredentialRecord, CredentialStore, FeedFilters, StreamStatus } from '../types.js';
import { guarded } from './unavailable.js';

export const CREDENTIALS_COLLECTION = 'holodule_credentials';

export interface CredentialDoc {
  _id: string;
  kind: CredentialKind;
  user_id: string;
  name: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  user_version: number;
  filters?: { talents?: string[]; groups?: string[]; statuses?: string[] };
}

function toRecord(doc: CredentialDoc): CredentialRecord {
  const record: CredentialRecord = {
    id: doc._id,
    kind: doc.kind,
    userId: doc.user_id,
    name: doc.name,
    hash: doc.hash,
    createdAt: doc.created_at,
    lastUsedAt: doc.last_used_at ?? null,
    expiresAt: doc.expires_at ?? null,
    userVersion: doc.user_version,
  };
  if (doc.filters !== undefined) record.filters = doc.filters as FeedFilters & { statuses?: StreamStatus[] };
  return record;
}

export function mongoCredentialStore(credentials: Collection<CredentialDoc>, timeoutMs: number): CredentialStore {
  const run = <T>(operation: () => Promise<T>): Promise<T> => guarded(timeoutMs, operation);
  return {
    async add(record) {
      const doc: CredentialDoc = {
        _id: record.id,
        kind: record.kind,
        user_id: record.userId,
        name: record.name,
        hash: record.hash,
        created_at: record.createdAt,
        last_used_at: record.lastUsedAt,
        expires_at: record.expiresAt,
        user_version: record.userVersion,
        ...(record.filters === undefined ? {} : { filters: record.filters }),
      };
      await run(() => credentials.insertOne(doc));
    },
    async findByHash(kind, hash) {
      const doc = await run(() => credentials.findOne({ kind, hash }, { maxTimeMS: timeoutMs }));
      return doc ? toRecord(doc) : null;
    },
    async listOfUser(userId, kind) {
      const docs = await run(() =>
        credentials.find({ user_id: userId, kind }).sort({ created_at: 1, _id: 1 }).maxTimeMS(timeoutMs).toArray(),
      );
      return docs.map(toRecord);
    },
    async remove(userId, kind, id) {
      return (await run(() => credentials.deleteOne({ _id: id, user_id: userId, kind }))).deletedCount === 1;
    },
    async removeAllOfUser(userId) {
      return (await run(() => credentials.deleteMany({ user_id: userId }))).deletedCount;
    },
    async markUsed(id, at, minIntervalMs) {
      await run(() =>
        credentials.updateOne(
          { _id: id, $or: [{ last_used_at: null }, { last_used_at: { $lte: at - minIntervalMs } }] },
          { $set: { last_used_at: at } },
        ),
      );
    },
  };
}
