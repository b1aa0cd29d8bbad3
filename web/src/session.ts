// The browser session: the access token lives in this module's memory only. The refresh token is an HttpOnly
// cookie scoped to /api/v2/session that scripts never see; refresh and sign-out send the CSRF cookie's value
// back as X-CSRF-Token (signed double-submit). On load the page asks for a fresh access token: a 401 means
// signed out.
import type { SessionAnswer } from './types';
import { Value } from './state';

/** Who is signed in, as the session answer names them (the server's schema). */
export type SessionUser = SessionAnswer['user'];

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: SessionUser };

const SESSION = '/api/v2/session';
const CSRF_COOKIE = 'holodule_csrf';

let token: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;

export const sessionState = new Value<SessionState>({ status: 'checking' });

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function accept(answer: SessionAnswer): void {
  token = answer.access_token;
  clearTimeout(refreshTimer);
  // Renew a little before the token expires, so requests rarely meet a 401.
  const renewIn = Math.max(10, answer.expires_in - 30) * 1000;
  refreshTimer = setTimeout(() => void refresh(), renewIn);
  const current = sessionState.get();
  if (
    current.status !== 'signed-in' ||
    current.user.username !== answer.user.username ||
    current.user.role !== answer.user.role
  )
    sessionState.set({ status: 'signed-in', user: answer.user });
}

function signedOut(): void {
  token = null;
  clearTimeout(refreshTimer);
  if (sessionState.get().status !== 'signed-out') sessionState.set({ status: 'signed-out' });
}

/** A new access token through the refresh cookie; false (and signed out) when there is no session. */
function refresh(): Promise<boolean> {
  refreshing ??= oneTabAtATime(async () => {
    try {
      const csrf = csrfToken();
      if (!csrf) {
        signedOut();
        return false;
      }
      const res = await fetch(`${SESSION}/refresh`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrf, accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) {
        signedOut();
        return false;
      }
      accept((await res.json()) as SessionAnswer);
      return true;
    } catch {
      // Offline: keep what we had; the next request tries again.
      if (sessionState.get().status === 'checking') signedOut();
      return false;
    } finally {
      refreshing = null;
    }
  });
  return refreshing;
}

/**
 * Every tab shares the refresh cookie, and presenting one already rotated ends the login (reuse detection), so two
 * tabs refreshing at once must take turns: the second then sends the cookie the first was given. Web Locks exist in
 * secure contexts (HTTPS, localhost); elsewhere a tab only serialises its own refreshes.
 */
function oneTabAtATime<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('holodule-session-refresh', work) : work();
}

export class SignInError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function signIn(username: string, password: string): Promise<void> {
  const res = await fetch(SESSION, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!res.ok) throw new SignInError(res.status, res.statusText);
  accept((await res.json()) as SessionAnswer);
}

async function signOut(): Promise<void> {
  const csrf = csrfToken();
  try {
    await fetch(SESSION, {
      method: 'DELETE',
      headers: csrf ? { 'x-csrf-token': csrf } : {},
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } finally {
    signedOut();
  }
}

export const session = {
  accessToken: (): string | null => token,
  refresh,
  signIn,
  signOut,
  /** On load: a session survives a reload through the refresh cookie. */
  start: (): Promise<boolean> => refresh(),
};
