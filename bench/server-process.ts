// A server under test in a process of its own: started on a free port, its peak memory read from /proc,
// stopped with SIGTERM. Its output goes to a log file, so a busy server never waits on a pipe to us.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
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

/** Any HTTP answer means it listens; a refused connection means not yet. */
async function waitUntilAnswering(url: string, child: ChildProcess, logTail: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it listened:\n${logTail()}`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`server did not listen within ${READY_TIMEOUT_MS / 1000} s:\n${logTail()}`);
}

export async function startServerProcess(spec: ServerSpec, logPath: string): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), ...spec.args], {
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
    await waitUntilAnswering(url, child, logTail);
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
