// The browser tests' parts: Debian's Chromium driven by playwright-core (never a downloaded browser), a real
// holodule serving the built page (HOLODULE_WEB_ROOT=dist/web), outside network blocked (YouTube's image hosts
// answer a local picture), Content-Security-Policy violations recorded, axe-core run in the page.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { asStored, changeOf } from '../../src/collector/stream-changes.js';
import type { Store, Stream } from '../../src/store/types.js';
import { TalentDirectory } from '../../src/talents/directory.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The checkout: the folder above this file whose package.json is holodule's (wherever compiled tests live). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'holodule')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('holodule checkout not found above the test file');
    dir = parent;
  }
}

export const WEB_ROOT = join(repoRoot(), 'dist', 'web');
export const CHROMIUM = process.env.HOLODULE_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false. A missing build is a failure, not a skip. */
export function browserSkip(): string | false {
  if (!existsSync(CHROMIUM))
    return `skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does; or set HOLODULE_CHROMIUM)`;
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error(`the page is not built: ${WEB_ROOT}/index.html is missing (npm run build:web)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const PICTURE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180">' +
  '<rect width="320" height="180" fill="#8fa3bf"/><circle cx="160" cy="90" r="40" fill="#e8edf5"/></svg>';
const IMAGE_HOSTS = new Set(['i.ytimg.com', 'img.youtube.com', 'yt3.ggpht.com', 'yt3.googleusercontent.com']);

export interface PageContext {
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but the server and YouTube's image hosts (blocked). */
  blocked: string[];
  /** CSP violations and console errors seen so far. */
  cspViolations(): Promise<string[]>;
  consoleErrors: string[];
}

/** A browser context on `baseURL`: nothing leaves the machine; CSP violations are recorded. */
export async function openContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<PageContext> {
  const context = await browser.newContext({ baseURL, timezoneId: 'UTC', locale: 'en-GB', ...options });
  const origin = new URL(baseURL).origin;
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (IMAGE_HOSTS.has(url.hostname))
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: PICTURE });
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text()))
      consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    blocked,
    consoleErrors,
    cspViolations: async () => {
      const inPage = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
      return [...inPage, ...consoleErrors.filter((m) => /Content.Security.Policy/i.test(m))];
    },
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA, best practices). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (no script tag is added).
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    () =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        resultTypes: ['violations'],
      }) as Promise<unknown>,
  );
  return (result as AxeResult).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A holodule serving the built page, on SQLite, with changes pushed every 50 ms. */
export async function startWebServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ HOLODULE_WEB_ROOT: WEB_ROOT, HOLODULE_EVENTS_POLL_MS: '50', ...env });
}

export const avatarUrl = (name: string): string => `https://yt3.ggpht.com/${encodeURIComponent(name)}=s88-c-k`;

export interface SeedStream {
  code: string;
  name: string;
  /** Japan time, YYYYMMDD HHMMSS. */
  datetime: string;
  videoId: string;
  title?: string;
  status?: 'upcoming' | 'live' | 'ended' | 'missing';
  collaborators?: Array<{ code: string | null; name: string | null }>;
}

/** A stored stream as the collector writes one (its live status, and collaborators and thumbnail in `extra`). */
export function storedStream(spec: SeedStream): Stream {
  const status = spec.status ?? 'upcoming';
  return {
    key: `${spec.code}_${spec.datetime.replace(' ', '_')}`,
    video_id: spec.videoId,
    datetime: spec.datetime,
    name: spec.name,
    title: spec.title ?? `${spec.name} の配信`,
    url: `https://www.youtube.com/watch?v=${spec.videoId}`,
    description: '',
    liveStatus: status === 'missing' ? 'unavailable' : status === 'ended' ? 'none' : status,
    extra: {
      thumbnail: `https://i.ytimg.com/vi/${spec.videoId}/mqdefault.jpg`,
      collaborators: (spec.collaborators ?? []).map((c) => ({
        code: c.code,
        name: c.name,
        avatar: avatarUrl(c.name ?? c.code ?? 'guest'),
      })),
    },
  };
}

export async function seed(store: Store, specs: SeedStream[]): Promise<void> {
  await store.streams.upsertMany(specs.map(storedStream));
}

/** Changes a stored stream the way a collect run does: the write, then its entry in the change log. */
export async function changeStream(store: Store, key: string, patch: Partial<Stream>): Promise<void> {
  const before = await store.streams.findByKey(key);
  if (!before) throw new Error(`no stream ${key}`);
  const after = asStored(before, { ...before, ...patch, extra: { ...before.extra, ...patch.extra } });
  await store.streams.upsertMany([after]);
  const change = changeOf({ before, after }, new TalentDirectory(await store.talents.list()));
  if (change) await store.changes.append([change], Date.now());
}

/** Adds a stream the way a collect run does (stored, and a stream.added in the change log). */
export async function addStream(store: Store, spec: SeedStream): Promise<void> {
  const after = storedStream(spec);
  await store.streams.upsertMany([after]);
  const change = changeOf({ before: undefined, after }, new TalentDirectory(await store.talents.list()));
  if (change) await store.changes.append([change], Date.now());
}

/** Signs in through the page's own form and waits until it has gone on to `next`. */
export async function signIn(page: Page, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/Username|ユーザー名/).fill(username);
  await page.getByLabel(/^(Password|パスワード)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|ログイン)$/ }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === next);
  await page.getByRole('link', { name: /^(Account|アカウント)$/ }).waitFor();
}

/** Today in Japan, YYYYMMDD. */
export function japanToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date())
    .replaceAll('-', '');
}
