// Runs one load plan in a load-driver process of its own and waits for its summary.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadSummary } from './load-driver.js';

const DRIVER = fileURLToPath(new URL('./load-driver.js', import.meta.url));

export async function driveLoad(plan: LoadPlan): Promise<LoadSummary> {
  const child = fork(DRIVER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const reply = new Promise<{ summary?: LoadSummary; error?: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { summary?: LoadSummary; error?: string }));
    child.once('exit', (code, signal) => reject(new Error(`load driver exited (${code ?? signal}) without a summary`)));
  });
  child.send(plan);
  const answer = await reply;
  await exited;
  if (answer.error !== undefined || answer.summary === undefined)
    throw new Error(`load driver failed: ${answer.error ?? 'no summary'}`);
  return answer.summary;
}
