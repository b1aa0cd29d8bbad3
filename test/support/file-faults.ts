// Storage faults made for real, for the SQLite fault tests: a small file system to fill, a file made
// read-only even for root (a read-only bind mount), another process holding the write lock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './temp-dir.js';

const LOCK_HOLDER = fileURLToPath(new URL('./hold-sqlite-lock.js', import.meta.url));

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return {
    ok: result.status === 0,
    output: `${result.stderr ?? ''}${result.stdout ?? ''}${result.error ?? ''}`.trim(),
  };
}

/**
 * Why the mounts these tests make are not possible here (not root, no CAP_SYS_ADMIN, a sandbox that forbids
 * them), or undefined when they are: a small tmpfs, and a file on it made read-only by a bind mount.
 */
export function whyMountIsNotPermitted(): string | undefined {
  const dir = makeTempDir('holodule-mount-probe-');
  const file = join(dir.path, 'probe');
  try {
    const mounted = run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'holodule-probe', dir.path]);
    if (!mounted.ok) return `mount is not permitted here (${mounted.output || 'no reason given'})`;
    writeFileSync(file, 'probe');
    const bound = run('mount', ['--bind', file, file]);
    if (!bound.ok) return `a bind mount is not permitted here (${bound.output || 'no reason given'})`;
    const readOnly = run('mount', ['-o', 'remount,bind,ro', file]);
    if (!readOnly.ok) return `a read-only bind mount is not permitted here (${readOnly.output || 'no reason given'})`;
    try {
      writeFileSync(file, 'write');
      return 'a read-only bind mount still takes writes here';
    } catch {
      return undefined;
    }
  } finally {
    run('umount', ['-l', file]);
    run('umount', ['-l', dir.path]);
    dir.remove();
  }
}

function mustRun(command: string, args: string[]): void {
  const result = run(command, args);
  if (!result.ok) throw new Error(`${command} ${args.join(' ')} failed: ${result.output}`);
}

/** A tmpfs of `bytes` mounted on a fresh temp directory. */
export function mountSmallFileSystem(bytes: number): { path: string; remove: () => void } {
  const dir = makeTempDir('holodule-tmpfs-');
  mustRun('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'holodule-test', dir.path]);
  return {
    path: dir.path,
    remove: () => {
      run('umount', ['-l', dir.path]);
      dir.remove();
    },
  };
}

/** Fills the file system holding `dir` up to its last byte; returns the filler file (delete it to free the space). */
export function fillFileSystem(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (let chunk = 1024 * 1024; chunk >= 512; ) {
      try {
        writeSync(fd, Buffer.alloc(chunk));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        chunk /= 2;
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

export const removeFile = (path: string): void => rmSync(path, { force: true });

/** Makes `file` read-only for everyone, root included, until `writable()`: a read-only bind mount over it. */
export function makeReadOnly(file: string): { writable: () => void; remove: () => void } {
  mustRun('mount', ['--bind', file, file]);
  mustRun('mount', ['-o', 'remount,bind,ro', file]);
  return {
    writable: () => mustRun('mount', ['-o', 'remount,bind,rw', file]),
    remove: () => run('umount', ['-l', file]),
  };
}

/** Another process holding the SQLite write lock (BEGIN EXCLUSIVE) on `file` until `release()`. */
export async function holdWriteLock(file: string): Promise<{ release: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [LOCK_HOLDER, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
  return {
    async release() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      await exited;
    },
  };
}
