// GET with a deadline for the whole exchange (body included) and bounded retries with exponential backoff.
import { setTimeout as delay } from 'node:timers/promises';

export interface RequestPolicy {
  timeoutMs: number;
  /** Further attempts after a retryable failure. */
  retries: number;
  /** The first retry's delay; it doubles each time (with jitter), capped at MAX_RETRY_DELAY_MS. */
  retryDelayMs: number;
}

export interface TextResponse {
  status: number;
  body: string;
}

const MAX_RETRY_DELAY_MS = 60_000;
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const USER_AGENT = 'holodule-collector/0.1';

/** A request that failed: `retryable` for timeouts, network errors, 5xx and 429; not for other answers. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** One GET; any status is returned, failures to get a complete answer throw RequestError. */
export async function getText(
  url: string,
  policy: Pick<RequestPolicy, 'timeoutMs'>,
  options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<TextResponse> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      signal,
      redirect: 'follow',
      headers: { 'user-agent': USER_AGENT, ...options.headers },
    });
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      await response.body?.cancel();
      throw new RequestError(`${safeUrl(url)}: answer of ${length} bytes is too large`, false, response.status);
    }
    return { status: response.status, body: await response.text() };
  } catch (err) {
    if (err instanceof RequestError) throw err;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted)
      throw new RequestError(`${safeUrl(url)}: no complete answer within ${policy.timeoutMs} ms`, true);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new RequestError(`${safeUrl(url)}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, true);
  }
}

/** Throws RequestError unless the status is 2xx; 5xx and 429 are worth retrying. */
export function expectOk(url: string, response: TextResponse): TextResponse {
  if (response.status >= 200 && response.status < 300) return response;
  const retryable = response.status >= 500 || response.status === 429;
  throw new RequestError(`${safeUrl(url)}: HTTP ${response.status}`, retryable, response.status, response.body);
}

/** Runs `attempt` until it succeeds, fails for good, or the retries are spent; stops at once when `signal` aborts. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: Pick<RequestPolicy, 'retries' | 'retryDelayMs'>,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const retryable = err instanceof RequestError && err.retryable;
      if (!retryable || n >= policy.retries || signal?.aborted) throw err;
      await delay(backoff(policy.retryDelayMs, n), undefined, signal ? { signal } : {});
    }
  }
}

/** Jitter keeps several instances (or a restarted one) from retrying in step. */
export function backoff(firstDelayMs: number, retry: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, firstDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** The URL without its query (which may hold the API key), for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the URL';
  }
}
