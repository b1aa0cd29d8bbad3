// A real pino logger whose lines the test can read.
import pino, { type Logger } from 'pino';

export interface CapturedLog {
  log: Logger;
  lines: { level: number; msg: string; [key: string]: unknown }[];
  /** Lines at warn level or above whose message matches. */
  warnings(pattern: RegExp): number;
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: (pattern) => lines.filter((l) => l.level >= 40 && pattern.test(l.msg)).length };
}
