// The one rule that keeps the web page's paths and the API's apart (docs/web.md). Page paths are exactly
// PAGE_ROUTES (plus the page's static files under /assets/ and /favicon.svg); every API path is under /api/ or
// is one of API_FIXED_PATHS (the original's paths and the operational ones) or the login path (JWT_AUTH_URL_RULE).
// New API paths always go under /api/. A route breaking the rule stops the server at start (app.ts), and
// config.ts refuses a JWT_AUTH_URL_RULE that would shadow a page.

/** The single-page app's paths, as Fastify route patterns: each answers the built index.html. */
export const PAGE_ROUTES = [
  '/',
  '/schedule/:date',
  '/talents',
  '/talents/:code',
  '/login',
  '/account',
  '/admin/users',
] as const;

/** The page's built files: hashed names under here, and the icon. */
export const ASSETS_PREFIX = '/assets/';
export const FAVICON_PATH = '/favicon.svg';

/** Paths the API had before /api/ (each with everything under it). */
export const API_FIXED_PATHS = [
  '/auth',
  '/holodules',
  '/users',
  '/me',
  '/feeds',
  '/healthz',
  '/readyz',
  '/metrics',
  '/docs',
  '/openapi.json',
  '/.well-known',
] as const;

const underAny = (path: string, bases: readonly string[]): boolean =>
  bases.some((base) => path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`));

/** Whether `path` (a request path or a route pattern) is in the API's space, given the login path. */
export function isApiPath(path: string, authUrlRule: string): boolean {
  return underAny(path, ['/api', ...API_FIXED_PATHS, authUrlRule]);
}

/** Concrete paths of every page kind: what a route pattern must not match. */
const PAGE_SAMPLES = [
  '/',
  '/schedule/2020-12-09',
  '/talents',
  '/talents/HL0503',
  '/login',
  '/account',
  '/admin/users',
  `${ASSETS_PREFIX}app-abc123.js`,
  FAVICON_PATH,
];

/** A route pattern as a regular expression: `:param` is one segment, `*` the rest. */
function patternOf(route: string): RegExp {
  const segments = route.split('/').map((segment) => {
    if (segment.startsWith(':')) return '[^/]+';
    if (segment === '*') return '.*';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}

const PAGE_PATTERNS = [...PAGE_ROUTES, `${ASSETS_PREFIX}*`, FAVICON_PATH].map(patternOf);

/** Whether an API route pattern could answer a page path, or a page route an API path of this pattern. */
export function collidesWithPage(route: string): boolean {
  const concrete = route.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x');
  return PAGE_SAMPLES.some((page) => patternOf(route).test(page)) || PAGE_PATTERNS.some((p) => p.test(concrete));
}

/**
 * What is wrong with an API route under the rule (null: nothing). `url` is the route pattern; the login path
 * (and its /refresh and /logout) may sit outside /api/ as long as it shadows no page.
 */
export function apiRouteProblem(url: string, authUrlRule: string): string | null {
  if (collidesWithPage(url)) return `API route ${url} would shadow a web page path (src/http/path-rule.ts)`;
  if (!isApiPath(url, authUrlRule))
    return `API route ${url} is outside the API's paths: new API paths go under /api/ (src/http/path-rule.ts)`;
  return null;
}

/** The login path and the two beside it, which must not shadow a page. */
export function authPathsProblem(authUrlRule: string): string | null {
  const base = authUrlRule === '/' ? '' : authUrlRule;
  const clash = [authUrlRule, `${base}/refresh`, `${base}/logout`].find(collidesWithPage);
  return clash === undefined
    ? null
    : `${clash} would shadow a web page path (${PAGE_ROUTES.join(', ')}, ${ASSETS_PREFIX}…, ${FAVICON_PATH}); choose another, e.g. /api/login`;
}
