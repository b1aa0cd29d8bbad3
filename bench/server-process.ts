// A server under test in a process of its own: started on a free port, its peak memory read from /proc,
// stopped with SIGTERM. Its output goes to a log file, so a busy server never waits on a pipe to us.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { freePort } from '../test/support/free-port.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerSpec {
  /** A short name for the log file and messages. */
  name: string;
  /** The script to run with this Node, and its arguments. */
  args: string[];
  env: Record<string, string>;
  /** Extra flags for Node itself (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/** Stands in a flag for the how-many-th server start this is (`--cpu-prof-name=row-<run>.cpuprofile`). */
export const PROFILE_RUN = '<run>';
let starts = 0;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Peak resident set size so far (VmHWM) in bytes; null where /proc is not available. */
  peakRss(): number | null;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export function peakRssOf(pid: number): number | null {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` itself has a listening socket on 127.0.0.1:`port` (from /proc): another process that took the
 * port between freePort() and our child's bind (a test's server, on a busy machine) must not pass for ours.
 */
function listensOn(pid: number, port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inode = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1] === local && fields[3] === '0A')?.[9];
  if (inode === undefined) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Waits until the child listens on its port; an exit before that (e.g. the port was taken) is an error. */
async function waitUntilListening(port: number, child: ChildProcess, logTail: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PortOrStartError(
        `server exited (${child.exitCode ?? child.signalCode}) before it listened:\n${logTail()}`,
      );
    }
    if (listensOn(child.pid!, port)) return;
    await sleep(50);
  }
  throw new Error(`server did not listen within ${READY_TIMEOUT_MS / 1000} s:\n${logTail()}`);
}

class PortOrStartError extends Error {}

const START_ATTEMPTS = 3;

export async function startServerProcess(spec: ServerSpec, logPath: string): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(spec, logPath);
    } catch (err) {
      // Another process may have taken the free port first (EADDRINUSE): try another, a few times.
      if (!(err instanceof PortOrStartError) || attempt >= START_ATTEMPTS || !/EADDRINUSE/.test(err.message)) throw err;
    }
  }
}

async function startOnce(spec: ServerSpec, logPath: string): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logPath, 'w');
  // Node 20 does not expand placeholders in --cpu-prof-name: each start of a spec gets a file of its own.
  const nodeFlags = (spec.nodeFlags ?? []).map((flag) => flag.replace(PROFILE_RUN, String(++starts)));
  const child = spawn(process.execPath, [...nodeFlags, ...spec.args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...spec.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const logTail = (lines = 20) => {
    try {
      return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const exited = once(child, 'exit');
  try {
    await waitUntilListening(port, child, logTail);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    peakRss: () => peakRssOf(pid),
    logTail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
