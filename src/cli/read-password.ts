// Reads a password: a hidden prompt on a terminal (asked twice for a new one), else the first line of stdin.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

async function readFirstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    rl.once('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
    muted = true;
  });
}

export async function readPassword(options: { confirm: boolean }): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLineOfStdin();
  const password = await promptHidden('Password: ');
  if (options.confirm && (await promptHidden('Password (again): ')) !== password) {
    throw new Error('the two passwords differ');
  }
  return password;
}
