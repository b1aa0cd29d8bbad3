// The page's own paths (the server answers index.html for each, docs/web-page.md): parsed from location, and
// links within the page followed without a reload.
import { Value } from './state';

export type Route =
  | { page: 'day'; day: string | null }
  | { page: 'talents' }
  | { page: 'talent'; code: string }
  | { page: 'login' }
  | { page: 'account' }
  | { page: 'admin-users' }
  | { page: 'not-found' };

export interface Location {
  route: Route;
  search: URLSearchParams;
}

const CODE = /^[A-Za-z0-9]{2,16}$/;

export function parse(pathname: string): Route {
  if (pathname === '/') return { page: 'day', day: null };
  const schedule = /^\/schedule\/(\d{4}-\d{2}-\d{2})$/.exec(pathname);
  if (schedule) return { page: 'day', day: schedule[1]! };
  if (pathname === '/talents') return { page: 'talents' };
  const talent = /^\/talents\/([^/]+)$/.exec(pathname);
  if (talent && CODE.test(decodeURIComponent(talent[1]!))) return { page: 'talent', code: talent[1]! };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/account') return { page: 'account' };
  if (pathname === '/admin/users') return { page: 'admin-users' };
  return { page: 'not-found' };
}

const read = (): Location => ({ route: parse(location.pathname), search: new URLSearchParams(location.search) });

export const current = new Value<Location>(read());

/** Go to a path of the page; `replace` keeps the history entry (filters typed into a box). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const before = `${location.pathname}${location.search}`;
  if (to === before) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  const samePage = new URL(to, location.href).pathname === location.pathname;
  current.set(read());
  if (!samePage) window.scrollTo(0, 0);
}

export function startRouter(): void {
  window.addEventListener('popstate', () => current.set(read()));
  // Links to the page's own paths change the view without a reload; others (YouTube, /docs) leave.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || parse(url.pathname).page === 'not-found') return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}`);
  });
}
