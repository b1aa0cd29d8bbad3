// Which holodule servers have a SQLite file open: each registers its pid beside the file while it serves,
// so `holodule restore` can refuse to swap the file under them. Several servers may share one file.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const serversDir = (sqlitePath: string): string => `${sqlitePath}.servers`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Registers this process as serving from `sqlitePath`; the returned function unregisters it. */
export function registerServer(sqlitePath: string): () => void {
  const dir = serversDir(sqlitePath);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, String(process.pid));
  writeFileSync(file, `${new Date().toISOString()}\n`);
  return () => rmSync(file, { force: true });
}

/** The pids of live servers registered on `sqlitePath` (entries of processes that died are removed). */
export function serversUsing(sqlitePath: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync(serversDir(sqlitePath));
  } catch {
    return [];
  }
  const alive: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid !== process.pid && isAlive(pid)) alive.push(pid);
    else if (pid !== process.pid) rmSync(join(serversDir(sqlitePath), entry), { force: true });
  }
  return alive;
}
