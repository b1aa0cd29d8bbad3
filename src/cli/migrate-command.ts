// holodule migrate --from URL --to URL: copy users and streams between a SQLite file and a MongoDB database.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, mongoUrlDatabase, type Config } from '../config.js';
import { migrate, type MigrateProgress } from '../domain/migrate.js';
import { notFound } from '../errors.js';
import { displayHosts } from '../store/mongo/connection.js';
import { openMongoStore } from '../store/mongo/mongo-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { UsageError } from './usage-error.js';

const USAGE =
  'usage: holodule migrate --from SOURCE --to TARGET\n' +
  '  SOURCE and TARGET: a SQLite file path (or sqlite:PATH), or a MongoDB URL such as\n' +
  '  mongodb://user:password@host:27017/holoduledb?authSource=admin (the path names the database)';

interface StoreLocation {
  kind: 'sqlite' | 'mongodb';
  /** Path, or the URL's hosts and database: never credentials. */
  display: string;
  open(config: Config, role: 'source' | 'target'): Promise<Store>;
}

function parseArgs(args: string[]): { from: string; to: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--(from|to)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}"\n${USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value\n${USAGE}`);
    values[match[1]!] = value;
  }
  if (!values.from || !values.to) throw new UsageError(USAGE);
  return { from: values.from, to: values.to };
}

/** The database a MongoDB URL names in its path, else holoduledb: the URL says it all, whatever the environment. */
const databaseOf = (url: string): string => mongoUrlDatabase(url) ?? 'holoduledb';

function location(spec: string): StoreLocation {
  if (/^mongodb(\+srv)?:\/\//.test(spec)) {
    return {
      kind: 'mongodb',
      display: `${displayHosts(spec)}/${databaseOf(spec)}`,
      open: (config, role) =>
        // A command should fail, not wait forever, when the database is not there.
        openMongoStore(
          {
            ...config.mongo,
            url: spec,
            host: undefined,
            user: undefined,
            password: undefined,
            database: databaseOf(spec),
          },
          { maxAttempts: 3, readOnly: role === 'source', log: (line) => process.stderr.write(`${line}\n`) },
        ),
    };
  }
  const path = resolve(spec.replace(/^sqlite:/, ''));
  return {
    kind: 'sqlite',
    display: path,
    async open(_config, role) {
      // Never create an empty source by mistake: a typo would "migrate" nothing and report success.
      if (role === 'source' && !existsSync(path)) throw new UsageError(`no SQLite database at ${path}`);
      return new SqliteStore(path);
    },
  };
}

function progressPrinter(): ((p: MigrateProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = '';
  return (p) => {
    const line = `${p.phase}: ${p.done}/${p.total}`;
    if (line === last) return;
    last = line;
    process.stderr.write(`\r\x1b[K${line}`);
  };
}

export async function migrateCommand(args: string[]): Promise<void> {
  const { from, to } = parseArgs(args);
  const source = location(from);
  const target = location(to);
  if (source.display === target.display) throw new UsageError('--from and --to are the same database');
  const config = loadConfig();
  const sourceStore = await source.open(config, 'source');
  try {
    // An empty source is most often a mistyped path or database name: say so rather than report success.
    if ((await sourceStore.users.count()) === 0 && (await sourceStore.streams.count()) === 0) {
      throw notFound(`${source.display} has no users and no streams: nothing to migrate (is the name right?)`);
    }
    const targetStore = await target.open(config, 'target');
    try {
      const onProgress = progressPrinter();
      let report: Awaited<ReturnType<typeof migrate>>;
      try {
        report = await migrate(sourceStore, targetStore, onProgress ? { onProgress } : {});
      } finally {
        // The summary (or the error) replaces the progress line.
        if (onProgress) process.stderr.write('\r\x1b[K');
      }
      const s = report.streams;
      console.log(
        `migrated ${source.display} -> ${target.display}: ` +
          `users: ${report.users.added} added, ${report.users.kept} already present (kept as they are); ` +
          `streams: ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged; ` +
          `talent records: ${report.talents} copied`,
      );
    } finally {
      await targetStore.close();
    }
  } finally {
    await sourceStore.close();
  }
}
