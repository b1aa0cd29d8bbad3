// Talents beyond talents.json, one JSON record a code.
import type Database from 'better-sqlite3';
import type { TalentRecord, TalentStore } from '../types.js';

export function sqliteTalentStore(db: Database.Database): TalentStore {
  const all = db.prepare<[], { record: string }>('SELECT record FROM talents ORDER BY code');
  const one = db.prepare<[string], { record: string }>('SELECT record FROM talents WHERE code = ?');
  const save = db.prepare<[string, string]>(
    'INSERT INTO talents (code, record) VALUES (?, ?) ON CONFLICT(code) DO UPDATE SET record = excluded.record',
  );
  const update = db.transaction((code: string, fields: Record<string, string | null | undefined>): TalentRecord => {
    const row = one.get(code);
    const record = (row ? JSON.parse(row.record) : { code }) as Record<string, string>;
    for (const [field, value] of Object.entries(fields)) {
      if (field === 'code' || value === undefined) continue;
      if (value === null) delete record[field];
      else record[field] = value;
    }
    save.run(code, JSON.stringify(record));
    return record as unknown as TalentRecord;
  });
  return {
    async list() {
      return all.all().map((row) => JSON.parse(row.record) as TalentRecord);
    },
    async update(code, fields) {
      return update(code, fields);
    },
  };
}
