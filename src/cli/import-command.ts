// holodule import FILE: streams and users from JSON or mongoexport output, idempotent.
import { readFile } from 'node:fs/promises';
import { importDocuments, readImportFile } from '../domain/import-documents.js';
import { withStore } from './command-context.js';
import { UsageError } from './usage-error.js';

export async function importCommand(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError('usage: holodule import FILE   (FILE may be - for stdin)');
  const [file] = args as [string];
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  const docs = readImportFile(text);
  const report = await withStore(({ store }) => importDocuments(store, docs));
  const s = report.streams;
  console.log(
    `streams: ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged; ` +
      `users: ${report.users.added} added, ${report.users.kept} already present (kept as they are)`,
  );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
