// Loading streams and users from JSON: an array of documents, or mongoexport's one extended-JSON document a line.
import { BSON } from 'mongodb';
import { type AppError, badRequest } from '../errors.js';
import { type ImportCounts, type NewUser, STREAM_FIELDS, type Store, type Stream } from '../store/types.js';
import { checkUsername } from './users.js';

export interface ParsedDocuments {
  streams: Stream[];
  users: NewUser[];
}

export type ImportReport = ImportCounts;

const DATETIME = /^\d{8} \d{6}$/;
// uid and created_at are dropped: a file never chooses who a user is for tokens, nor how old the account is.
const USER_FIELDS = ['id', 'username', 'password', 'uid', 'created_at'] as const;
const MAX_REPORTED_PROBLEMS = 10;

type Doc = Record<string, unknown>;

/** Extended JSON values as plain JSON ($date → ISO string, $oid → hex), so they can be kept as our own fields. */
function extraFields(doc: Doc, known: readonly string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc)) {
    if (field !== '_id' && !known.includes(field)) extra[field] = JSON.parse(JSON.stringify(value));
  }
  return Object.keys(extra).length > 0 ? extra : undefined;
}

function toStream(doc: Doc, where: string): Stream {
  for (const field of STREAM_FIELDS) {
    if (typeof doc[field] !== 'string') throw new Error(`${where}: "${field}" must be a string`);
  }
  if (!DATETIME.test(doc.datetime as string)) throw new Error(`${where}: "datetime" must look like 20201209 230000`);
  const stream = Object.fromEntries(STREAM_FIELDS.map((f) => [f, doc[f] as string])) as unknown as Stream;
  const extra = extraFields(doc, STREAM_FIELDS);
  return extra ? { ...stream, extra } : stream;
}

function toUser(doc: Doc, where: string): NewUser {
  const id = typeof doc.id === 'number' ? String(doc.id) : doc.id;
  if (typeof id !== 'string' || id === '') throw new Error(`${where}: "id" must be a string`);
  if (typeof doc.username !== 'string' || doc.username === '') throw new Error(`${where}: "username" must be a string`);
  try {
    checkUsername(doc.username);
  } catch (err) {
    // The API's own rule and words, so import refuses exactly the names POST /users refuses.
    throw new Error(`${where}: ${(err as AppError).description ?? 'invalid username'}`);
  }
  if (typeof doc.password !== 'string' || doc.password === '') throw new Error(`${where}: "password" must be a string`);
  const extra = extraFields(doc, USER_FIELDS);
  const user: NewUser = { id, username: doc.username, password: doc.password };
  return extra ? { ...user, extra } : user;
}

function parseDocuments(text: string): Array<{ doc: unknown; where: string }> {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let docs: unknown;
    try {
      docs = BSON.EJSON.parse(trimmed, { relaxed: true });
    } catch {
      throw badRequest('the file starts with "[" but is not a valid JSON array');
    }
    return (docs as unknown[]).map((doc, i) => ({ doc, where: `document ${i + 1}` }));
  }
  return trimmed.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [{ doc: BSON.EJSON.parse(line, { relaxed: true }), where: `line ${i + 1}` }];
    } catch {
      throw badRequest(`line ${i + 1} is not a JSON document`);
    }
  });
}

/** Every document checked before anything is written: one bad document and nothing is imported. */
export function readImportFile(text: string): ParsedDocuments {
  const result: ParsedDocuments = { streams: [], users: [] };
  const problems: string[] = [];
  for (const { doc, where } of parseDocuments(text)) {
    try {
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${where}: not a JSON object`);
      const d = doc as Doc;
      if ('key' in d || 'video_id' in d) result.streams.push(toStream(d, where));
      else if ('username' in d) result.users.push(toUser(d, where));
      else throw new Error(`${where}: neither a stream (key, video_id, …) nor a user (id, username, password)`);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ');
    const more =
      problems.length > MAX_REPORTED_PROBLEMS ? ` (and ${problems.length - MAX_REPORTED_PROBLEMS} more)` : '';
    throw badRequest(`nothing imported: ${shown}${more}`);
  }
  return result;
}

/**
 * Streams are upserted by key; users are added when absent and never overwritten (a hash beats an old export).
 * Every document was checked by readImportFile first; the store writes them together (SQLite: one transaction).
 */
export async function importDocuments(store: Store, docs: ParsedDocuments): Promise<ImportReport> {
  return store.importAll(docs.streams, docs.users);
}
