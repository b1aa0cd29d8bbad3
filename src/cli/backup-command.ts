// holodule backup FILE / holodule restore FILE: the embedded store's copy and its way back (MongoDB: mongodump).
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { backupDatabase, restoreDatabase } from '../store/sqlite/sqlite-backup.js';
import { UsageError } from './usage-error.js';

function fileArgument(command: 'backup' | 'restore', args: string[]): string {
  if (args.length !== 1 || args[0] === '' || args[0]!.startsWith('-')) {
    throw new UsageError(
      command === 'backup'
        ? 'usage: holodule backup FILE   (a consistent copy of the SQLite database, safe while serving)'
        : 'usage: holodule restore FILE   (replaces the SQLite database; stop the server first)',
    );
  }
  return resolve(args[0]!);
}

function sqliteOnly(config: Config): void {
  if (config.store !== 'sqlite') {
    throw new UsageError(
      'backup and restore are for the SQLite store; for MongoDB use mongodump and mongorestore, or ' +
        '`holodule migrate --from mongodb://... --to FILE.sqlite` (see docs/operations.md)',
    );
  }
}

export async function backupCommand(args: string[]): Promise<void> {
  const file = fileArgument('backup', args);
  const config = loadConfig();
  sqliteOnly(config);
  const summary = await backupDatabase(config.sqlitePath, file);
  console.log(`backed up ${config.sqlitePath} -> ${file}: ${summary.users} users, ${summary.streams} streams`);
}

export async function restoreCommand(args: string[]): Promise<void> {
  const file = fileArgument('restore', args);
  const config = loadConfig();
  sqliteOnly(config);
  const summary = await restoreDatabase(file, config.sqlitePath);
  console.log(`restored ${file} -> ${config.sqlitePath}: ${summary.users} users, ${summary.streams} streams`);
}
