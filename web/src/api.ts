// Every request the page makes goes through here: the access token (kept in memory only) as a Bearer header,
// one silent refresh through the session cookie on a 401, and errors as ApiError with the server's message.
import { session } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The message of an error body: a problem's detail, v1's description or error, or the status. */
async function messageOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as Record<string, unknown>;
    for (const field of ['detail', 'description', 'error', 'title'])
      if (typeof body[field] === 'string' && body[field]) return body[field] as string;
  } catch {
    // not JSON
  }
  return `${res.status} ${res.statusText}`;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Send no token even when signed in. */
  anonymous?: boolean;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.anonymous ? null : session.accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(path, { method: options.method ?? 'GET', headers, body, cache: 'no-cache', credentials: 'same-origin' });
}

/** A request to the API; a 401 with a token tries one refresh and asks again. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  let res = await send(path, options);
  if (res.status === 401 && session.accessToken() && !options.anonymous) {
    if (await session.refresh()) res = await send(path, options);
  }
  if (!res.ok) throw new ApiError(res.status, await messageOf(res));
  return res;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export async function sendJson<T>(path: string, method: string, body?: unknown): Promise<T | null> {
  const res = await request(path, { method, body });
  return res.status === 204 ? null : ((await res.json()) as T);
}

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
