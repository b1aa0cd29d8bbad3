// Runs the real `holodule` CLI as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Only the variables a test gives (plus PATH/HOME), so the developer's own environment never leaks in.
 * Background collection is off unless a test turns it on: tests never reach the real schedule site.
 */
export function cleanEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOLODULE_LOG_LEVEL: 'warn',
    HOLODULE_COLLECT_INTERVAL: '0',
    ...env,
  };
}

/** Runs a Node script to its end; `env` defaults to this process's own. */
export function runNodeScript(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export function runCli(
  args: string[],
  options: { env: Record<string, string>; cwd?: string; stdin?: string },
): Promise<CliResult> {
  return runNodeScript(CLI, args, { ...options, env: cleanEnv(options.env) });
}

/** Starts `holodule serve` and resolves once it logs that it is serving, with its URL. */
export function startServeProcess(
  env: Record<string, string>,
  cwd?: string,
): Promise<{ child: ChildProcess; url: string; logs: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: cleanEnv({ HOLODULE_LOG_LEVEL: 'info', ...env }),
      cwd,
      stdio: 'pipe',
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = /"url":"(http:\/\/[^"]+)","store"/.exec(out);
      if (match) resolve({ child, url: match[1]!, logs: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${out}`)));
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
