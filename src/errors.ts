// One error type for the whole app; the HTTP error handler turns it into the contract's bodies.

/**
 * `jwt`: Flask-JWT's shape `{status_code, error, description}` (auth and protected requests).
 * `plain`: Flask's shape `{error, description?}` (everything else).
 */
export type ErrorShape = 'jwt' | 'plain';

export interface AppErrorOptions {
  shape?: ErrorShape;
  headers?: Record<string, string>;
  cause?: unknown;
  /** The request parameter at fault (v2's problem details name it). */
  parameter?: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string | undefined;
  readonly shape: ErrorShape;
  readonly headers: Record<string, string>;
  readonly parameter: string | undefined;

  constructor(status: number, error: string, description?: string, options: AppErrorOptions = {}) {
    super(description ? `${error}: ${description}` : error, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.error = error;
    this.description = description;
    this.shape = options.shape ?? 'plain';
    this.headers = options.headers ?? {};
    this.parameter = options.parameter;
  }

  /** The body a client sees. Only the fields the contract names, in its order. */
  body(): Record<string, unknown> {
    if (this.shape === 'jwt') {
      return { status_code: this.status, error: this.error, description: this.description ?? '' };
    }
    return this.description === undefined
      ? { error: this.error }
      : { error: this.error, description: this.description };
  }
}

/** Flask-JWT's 401 for every credential failure, whatever the cause. */
export const invalidCredentials = (): AppError =>
  new AppError(401, 'Bad Request', 'Invalid credentials', { shape: 'jwt' });

export const jwtError = (error: string, description: string, headers?: Record<string, string>): AppError =>
  new AppError(401, error, description, { shape: 'jwt', ...(headers ? { headers } : {}) });

export const badRequest = (description: string): AppError => new AppError(400, 'Bad request', description);
/** A request parameter (query, path or body field) that cannot be used; the description says why. */
export const invalidParameter = (parameter: string, description: string): AppError =>
  new AppError(400, 'Bad request', description, { parameter });
export const notFound = (): AppError => new AppError(404, 'Not found');
/** The request is understood and authenticated, but refused (a missing or wrong CSRF token). */
export const forbidden = (description: string): AppError => new AppError(403, 'Forbidden', description);
export const conflict = (description: string): AppError => new AppError(409, 'Conflict', description);
export const serviceUnavailable = (cause?: unknown): AppError =>
  new AppError(503, 'Service Unavailable', undefined, { cause });
