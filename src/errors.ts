// Errors by kind: domain, auth and store code say *what* went wrong, never an HTTP status or a wire shape.
// The edges map a kind: `src/http/error-mapping.ts` to a status, headers and body; `src/cli/error-exit.ts` to a
// message and an exit code.

export type ErrorKind =
  /** A value the client sent cannot be used (the parameter at fault may be named). */
  | 'invalid'
  /** No credentials, or credentials that do not hold. */
  | 'unauthenticated'
  /** Authenticated, but this needs more (the admin role). */
  | 'forbidden'
  | 'not-found'
  /** The path exists, but not for this method. */
  | 'not-allowed'
  /** The request clashes with what is stored (a taken name, a limit reached, a refused restore). */
  | 'conflict'
  /** Too many attempts; try again after a while. */
  | 'throttled'
  /** The store (or another service we need) does not answer. */
  | 'unavailable'
  /** A fault of ours. */
  | 'internal';

export interface AppErrorDetails {
  /** The request parameter at fault (query, path or body field). */
  parameter?: string;
  /** When a throttled client may try again, in seconds. */
  retryAfterSeconds?: number;
  /** The contract's `error` string where the kind alone does not give it (Flask-JWT's named causes). */
  error?: string;
  /** The client should be asked for credentials (an authentication challenge). */
  challenge?: boolean;
  /** The methods the path does allow (`not-allowed`). */
  allowed?: readonly string[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  /** The client-safe sentence saying why (shown to clients as is). */
  readonly description: string | undefined;
  readonly details: Readonly<AppErrorDetails>;

  constructor(kind: ErrorKind, description?: string, details: AppErrorDetails = {}) {
    super(description ? `${kind}: ${description}` : kind, { cause: details.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.description = description;
    this.details = details;
  }

  get parameter(): string | undefined {
    return this.details.parameter;
  }
}

/** Whether `err` is an AppError of this kind. */
export const isKind = (err: unknown, kind: ErrorKind): err is AppError => err instanceof AppError && err.kind === kind;

/** Flask-JWT's refusal for every credential failure, whatever the cause. */
export const invalidCredentials = (): AppError =>
  new AppError('unauthenticated', 'Invalid credentials', { error: 'Bad Request' });

/** Flask-JWT's named refusal (`error`: what, `description`: why). */
export const unauthenticated = (error: string, description: string, options: { challenge?: boolean } = {}): AppError =>
  new AppError('unauthenticated', description, { error, ...(options.challenge ? { challenge: true } : {}) });

/** Same as `unauthenticated`; kept for callers that pass the challenge as a `www-authenticate` header. */
export const jwtError = (error: string, description: string, headers?: Record<string, string>): AppError =>
  unauthenticated(error, description, { challenge: headers?.['www-authenticate'] !== undefined });

export const forbidden = (description: string): AppError => new AppError('forbidden', description);
export const badRequest = (description: string): AppError => new AppError('invalid', description);
/** A request parameter (query, path or body field) that cannot be used; the description says why. */
export const invalidParameter = (parameter: string, description: string): AppError =>
  new AppError('invalid', description, { parameter });
export const notFound = (description?: string): AppError => new AppError('not-found', description);
export const methodNotAllowed = (allowed: readonly string[]): AppError =>
  new AppError('not-allowed', `This path allows ${allowed.join(', ')}`, { allowed });
export const conflict = (description: string): AppError => new AppError('conflict', description);
export const throttled = (description: string, retryAfterSeconds: number): AppError =>
  new AppError('throttled', description, { retryAfterSeconds });
export const serviceUnavailable = (cause?: unknown): AppError =>
  new AppError('unavailable', undefined, cause === undefined ? {} : { cause });
export const internalError = (cause?: unknown): AppError =>
  new AppError('internal', undefined, cause === undefined ? {} : { cause });
