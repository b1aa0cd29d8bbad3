// Favourite talents in the SQLite file: one row per user and talent code.
import type Database from 'better-sqlite3';
import type { FavouriteStore } from '../types.js';

export const FAVOURITES_SQL = `
CREATE TABLE IF NOT EXISTS favourites (
  user_id    TEXT NOT NULL,
  code       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, code)
) WITHOUT ROWID;
`;

export function sqliteFavouriteStore(db: Database.Database): FavouriteStore {
  db.exec(FAVOURITES_SQL);
  const ofUser = db.prepare<[string], { code: string }>('SELECT code FROM favourites WHERE user_id = ? ORDER BY code');
  const insert = db.prepare<[string, string, number]>(
    'INSERT INTO favourites (user_id, code, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const removeOne = db.prepare<[string, string]>('DELETE FROM favourites WHERE user_id = ? AND code = ?');
  const removeAll = db.prepare<[string]>('DELETE FROM favourites WHERE user_id = ?');
  return {
    async listOfUser(userId) {
      return ofUser.all(userId).map((row) => row.code);
    },
    async add(userId, code, at) {
      insert.run(userId, code, at);
    },
    async remove(userId, code) {
      return removeOne.run(userId, code).changes === 1;
    },
    async removeAllOfUser(userId) {
      return removeAll.run(userId).changes;
    },
  };
}
