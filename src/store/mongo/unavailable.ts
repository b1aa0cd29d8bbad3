// Which driver errors mean "the database is not there right now" (kind `unavailable`), as opposed to a bug.
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { AppError, serviceUnavailable } from '../../errors.js';

// Server codes of a node that is down, stepping down, shutting down or out of time (MongoDB's retryable set).
const UNAVAILABLE_CODES = new Set([6, 7, 50, 64, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

// Node's own socket errors. The driver wraps most of them in MongoNetworkError, but not all: a command whose
// write waits for 'drain' on a socket the server has just closed rejects with the socket's raw error
// (EPIPE, "This socket has been ended by the other party").
const SOCKET_ERROR_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_SOCKET_CLOSED',
]);

const isSocketError = (err: unknown): boolean =>
  err instanceof Error && SOCKET_ERROR_CODES.has(String((err as NodeJS.ErrnoException).code));

export function isUnavailable(err: unknown): boolean {
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoWriteConcernError ||
    isSocketError(err)
  ) {
    return true;
  }
  if (err instanceof MongoError) {
    return (
      (typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code)) ||
      err.hasErrorLabel('RetryableWriteError') ||
      err.hasErrorLabel('ResetPool') ||
      err.name === 'MongoPoolClearedError'
    );
  }
  return false;
}

/**
 * Runs one store operation so that no caller waits past `timeoutMs`, and a lost database becomes
 * an `unavailable` AppError instead of a driver error.
 */
export async function guarded<T>(timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // The driver's own timeouts cover server selection and connecting; this also covers a stalled socket.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(serviceUnavailable(new Error(`MongoDB did not answer within ${timeoutMs} ms`))),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUnavailable(err)) throw serviceUnavailable(err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
