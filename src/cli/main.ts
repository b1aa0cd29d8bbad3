#!/usr/bin/env node
// holodule <command>: the CLI's entry point (error-exit.ts turns errors into messages and exit codes).
import { exitOf } from './error-exit.js';
import { holdOptimizingCompilers } from './optimizing-compiler.js';
import { keepYoungGenerationSmall } from './young-generation.js';

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

type Command = (args: string[]) => Promise<void>;

/** Each command's module, loaded only when it runs: `--help` loads none, `collect` no MongoDB driver on SQLite. */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  user: async () => (await import('./user-command.js')).userCommand,
  import: async () => (await import('./import-command.js')).importCommand,
  migrate: async () => (await import('./migrate-command.js')).migrateCommand,
  keys: async () => (await import('./keys-command.js')).keysCommand,
  collect: async () => (await import('./collect-command.js')).collectCommand,
  talents: async () => (await import('./talents-command.js')).talentsCommand,
  backup: async () => (await import('./backup-command.js')).backupCommand,
  restore: async () => (await import('./backup-command.js')).restoreCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`holodule: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  // Before the server's modules load: they would grow the young generation to what an idle server keeps, and
  // TurboFan would optimize code that runs only while starting.
  if (name === 'serve') {
    keepYoungGenerationSmall();
    holdOptimizingCompilers();
  }
  const command = await load();
  await command(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const { text, code } = exitOf(err);
    console.error(`holodule: ${text}`);
    process.exitCode = code;
  },
);
