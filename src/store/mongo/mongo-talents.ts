// Talents beyond talents.json: one document a code (`_id`), its fields those of a TalentRecord.
import type { Collection, Document } from 'mongodb';
import type { TalentRecord, TalentStore } from '../types.js';
import { guarded } from './unavailable.js';

type TalentDocument = { _id: string } & Omit<TalentRecord, 'code'>;

function toRecord(doc: Document): TalentRecord {
  const { _id, ...fields } = doc;
  return { code: String(_id), ...fields } as TalentRecord;
}

export function mongoTalentStore(talents: Collection<Document>, timeoutMs: number): TalentStore {
  const collection = talents as unknown as Collection<TalentDocument>;
  return {
    list() {
      return guarded(timeoutMs, async () =>
        (await collection.find({}).sort({ _id: 1 }).maxTimeMS(timeoutMs).toArray()).map(toRecord),
      );
    },
    update(code, fields) {
      const set: Document = {};
      const unset: Document = {};
      for (const [field, value] of Object.entries(fields)) {
        if (field === 'code' || value === undefined) continue;
        if (value === null) unset[field] = '';
        else set[field] = value;
      }
      const update: Document = {};
      if (Object.keys(set).length > 0) update.$set = set;
      if (Object.keys(unset).length > 0) update.$unset = unset;
      // Nothing to change still makes the record exist, as SQLite's does (an operator may not be empty).
      if (Object.keys(update).length === 0) update.$set = { _id: code };
      return guarded(timeoutMs, async () => {
        const doc = await collection.findOneAndUpdate({ _id: code }, update, {
          upsert: true,
          returnDocument: 'after',
          maxTimeMS: timeoutMs,
        });
        return toRecord(doc ?? { _id: code });
      });
    },
  };
}
