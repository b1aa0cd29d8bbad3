#!/usr/bin/env node
// holodule <command>: the CLI's entry point and its one place that turns errors into messages and exit codes.
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { MongoDataError } from '../store/mongo/indexes.js';
import { MongoUnreachableError } from '../store/mongo/mongo-store.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { collectCommand } from './collect-command.js';
import { importCommand } from './import-command.js';
import { keysCommand } from './keys-command.js';
import { migrateCommand } from './migrate-command.js';
import { serveCommand } from './serve-command.js';
import { talentsCommand } from './talents-command.js';
import { UsageError } from './usage-error.js';
import { userCommand } from './user-command.js';

const HELP = `holodule: the hololive stream schedule as a JWT-secured API

usage:
  holodule serve                    run the HTTP API (PORT, default 5000)
  holodule user add NAME [--admin]  add a user (password from a prompt, or the first line of stdin)
  holodule user list                list users
  holodule user passwd NAME         change a user's password (prompt or stdin)
  holodule user remove NAME         remove a user
  holodule user role NAME admin|user  set a user's role
  holodule import FILE              load streams and users from JSON or mongoexport files (- for stdin)
  holodule migrate --from SOURCE --to TARGET
                                    copy users and streams between stores: a SQLite path or a mongodb:// URL
  holodule keys rotate              make a new signing key (older tokens stay valid until they expire)
  holodule keys list                list the signing keys in the store
  holodule collect                  read the schedule page(s) (and YouTube) into the store once
  holodule talents list [--group G]  list the talent directory (group unknown: names it lacks)
  holodule talents set CODE [--name N] [--name-en N] [--group G] [--avatar URL] [--channel-id ID]
                                    correct a talent (stored and future streams; keys stay)
  holodule backup FILE              copy the SQLite database to FILE (consistent, safe while serving)
  holodule restore FILE             replace the SQLite database with FILE (verified; refused while serving)

Settings come from the environment and a .env file; see the README.`;

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  user: userCommand,
  import: importCommand,
  migrate: migrateCommand,
  keys: keysCommand,
  collect: collectCommand,
  talents: talentsCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`holodule: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  await command(args);
  return 0;
}

function messageOf(err: unknown): { text: string; code: number } {
  if (err instanceof UsageError) return { text: err.message, code: 2 };
  if (err instanceof ConfigError) return { text: `configuration error: ${err.message}`, code: 78 };
  if (err instanceof MongoDataError || err instanceof MongoUnreachableError) return { text: err.message, code: 1 };
  if (err instanceof AppError && err.status < 500) return { text: err.description ?? err.error, code: 1 };
  if (err instanceof AppError && err.status === 503) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { text: `the database is unavailable${cause}`, code: 1 };
  }
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: (err as Error).message, code: 1 };
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    return { text: `port already in use: ${(err as Error).message}`, code: 1 };
  return { text: `unexpected error: ${err instanceof Error ? err.message : String(err)}`, code: 1 };
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const { text, code } = messageOf(err);
    console.error(`holodule: ${text}`);
    process.exitCode = code;
  },
);
