// The CLI's one place that turns an error into a message and an exit code (sysexits-style where one fits).
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { StoreStartError } from '../store/store-error.js';
import { UsageError } from './usage-error.js';

export interface ErrorExit {
  text: string;
  code: number;
}

export function exitOf(err: unknown): ErrorExit {
  if (err instanceof UsageError) return { text: err.message, code: 2 };
  if (err instanceof ConfigError) return { text: `configuration error: ${err.message}`, code: 78 };
  if (err instanceof StoreStartError) return { text: err.message, code: 1 };
  if (err instanceof AppError) {
    if (err.kind === 'unavailable') {
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { text: `the database is unavailable${cause}`, code: 1 };
    }
    if (err.kind !== 'internal') return { text: err.description ?? err.kind, code: 1 };
  }
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: (err as Error).message, code: 1 };
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    return { text: `port already in use: ${(err as Error).message}`, code: 1 };
  return { text: `unexpected error: ${err instanceof Error ? err.message : String(err)}`, code: 1 };
}
