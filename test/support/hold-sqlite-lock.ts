// Another process holding a SQLite file's write lock: `node hold-sqlite-lock.js FILE` takes BEGIN EXCLUSIVE,
// prints "locked", and lets go (ROLLBACK) when its stdin ends.
import Database from 'better-sqlite3';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: hold-sqlite-lock FILE');
const db = new Database(path, { fileMustExist: true });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\n');
process.stdin.resume();
process.stdin.on('end', () => {
  db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
