// The schedule page in real Chromium against a real holodule (SQLite): sign in and out, a session surviving a
// reload, each page (axe-core: no serious or critical violation; no CSP violation), the cards, filters in the
// URL, favourites, the time-zone and language switches, a stream going live without a reload, a 70-stream day,
// the account and admin pages, and the public-read server signed out. One browser for the whole file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/test-server.js';
import {
  addStream,
  axeViolations,
  browserSkip,
  changeStream,
  japanToday,
  launchBrowser,
  openContext,
  type PageContext,
  type SeedStream,
  seed,
  startWebServer,
} from './harness.js';

const skip = browserSkip();
const PASSWORD = 'password-for-tests-01';
const NEW_PASSWORD = 'a-new-password-for-tests-02';

const DAY: SeedStream[] = [
  {
    code: 'HL0503',
    name: '尾丸ポルカ',
    datetime: '20201209 230000',
    videoId: 'vidPolka001',
    title: 'アカペラで歌う',
    collaborators: [
      { code: 'HL0501', name: '獅白ぼたん' },
      { code: null, name: null },
    ],
  },
  { code: 'HL0301', name: '兎田ぺこら', datetime: '20201209 200000', videoId: 'vidPekora01', status: 'live' },
  {
    code: 'HL0602',
    name: '鷹嶺ルイ',
    datetime: '20201209 210000',
    videoId: 'vidLui00001',
    title: 'Minecraft 建築',
    status: 'ended',
  },
  { code: 'HL0501', name: '獅白ぼたん', datetime: '20201209 220000', videoId: 'vidBotan001', status: 'missing' },
];
const CODES = ['HL0001', 'HL0301', 'HL0501', 'HL0503', 'HL0602', 'HL0G02'];
const BIG_DAY: SeedStream[] = Array.from({ length: 70 }, (_, i) => ({
  code: CODES[i % CODES.length]!,
  name: `talent ${i % CODES.length}`,
  datetime: `20201210 ${String(Math.floor(i / 3)).padStart(2, '0')}${String((i % 3) * 20).padStart(2, '0')}00`,
  videoId: `big${String(i).padStart(8, '0')}`,
  title: `stream ${i}`,
}));

/** Waits until the view has its heading and nothing is loading any more. */
async function settled(page: Page): Promise<void> {
  await page.locator('#page-title').waitFor();
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
}

const card = (page: Page, videoId: string) => page.locator(`article[data-video-id="${videoId}"]`);
const shownVideoIds = (page: Page) =>
  page.locator('article[data-video-id]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-video-id')));

describe('the schedule page in Chromium', { skip }, () => {
  let browser: Browser;
  let sut: TestServer;
  let tab: PageContext;
  let page: Page;

  before(async () => {
    sut = await startWebServer();
    await sut.addUser('boss', PASSWORD, { role: 'admin' });
    await sut.addUser('fan01', PASSWORD);
    await seed(sut.store, [
      ...DAY,
      ...BIG_DAY,
      { code: 'HL0503', name: '尾丸ポルカ', datetime: `${japanToday()} 120000`, videoId: 'today000001' },
    ]);
    browser = await launchBrowser();
    tab = await openContext(browser, sut.url);
    page = tab.page;
  });
  after(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('signed out on a private server, a schedule page asks to sign in; signing in comes back to it', async () => {
    await page.goto('/schedule/2020-12-09');
    await page.getByText('Sign in to see the schedule.').waitFor();
    await page.locator('.prompt a', { hasText: 'Sign in' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Username').fill('boss');
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/schedule/2020-12-09');
    await card(page, 'vidPolka001').waitFor();
  });

  it('the session survives a reload, and the refresh cookie is HttpOnly: scripts cannot read it', async () => {
    await page.reload();
    await page.getByRole('link', { name: 'Account' }).waitFor();
    await card(page, 'vidPolka001').waitFor();
    const cookies = await tab.context.cookies();
    const refresh = cookies.find((c) => c.name === 'holodule_refresh');
    assert.ok(refresh, 'the refresh cookie is set');
    assert.equal(refresh.httpOnly, true);
    assert.equal(refresh.sameSite, 'Strict');
    const scriptCookies = await page.evaluate(() => document.cookie);
    assert.doesNotMatch(scriptCookies, /holodule_refresh/);
    assert.doesNotMatch(scriptCookies, new RegExp(refresh.value.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(scriptCookies, /holodule_csrf=/, 'the CSRF cookie is for scripts to send back');
    assert.equal(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => /token|refresh/i.test(k)).length),
      0,
      'no token in localStorage',
    );
  });

  it('two tabs loading at once take turns with the refresh cookie, so neither ends the login', async () => {
    const second = await tab.context.newPage();
    try {
      for (let round = 0; round < 3; round++) {
        await Promise.all([page.goto('/schedule/2020-12-09'), second.goto('/schedule/2020-12-09')]);
        await Promise.all([card(page, 'vidPolka001').waitFor(), card(second, 'vidPolka001').waitFor()]);
      }
      await page.reload();
      await card(page, 'vidPolka001').waitFor();
      await page.getByRole('link', { name: 'Account' }).waitFor();
    } finally {
      await second.close();
    }
  });

  it('every page has no serious or critical axe-core violation and no Content-Security-Policy violation', async () => {
    for (const path of [
      '/',
      '/schedule/2020-12-09',
      '/talents',
      '/talents/HL0503',
      '/login',
      '/account',
      '/admin/users',
      '/no/such/page',
    ]) {
      await page.goto(path);
      await settled(page);
      assert.deepEqual(await axeViolations(page), [], `axe on ${path}`);
      assert.deepEqual(await tab.cspViolations(), [], `CSP on ${path}`);
    }
    assert.deepEqual(tab.blocked, [], 'nothing but the server and YouTube images was asked for');
  });

  it('the checks themselves work: axe-core reports a planted image without text, and an inline script is refused', async () => {
    await page.goto('/login');
    await settled(page);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/favicon.svg';
      document.querySelector('main')?.append(img);
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
    });
    assert.match((await axeViolations(page)).join('\n'), /image-alt/);
    await page.waitForFunction(() => ((window as unknown as { __csp?: string[] }).__csp ?? []).length > 0);
    assert.match((await tab.cspViolations()).join('\n'), /script-src/);
    assert.equal(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan), undefined);
  });

  it('/ is today in Japan, with links to the days before and after', async () => {
    await page.goto('/');
    await card(page, 'today000001').waitFor();
    await page.getByRole('link', { name: /Next day/ }).click();
    await page.waitForURL(/\/schedule\/\d{4}-\d{2}-\d{2}$/);
    await page.getByText('No streams for this day.').waitFor();
    await page.goto('/schedule/2020-12-09');
    await page.getByRole('link', { name: /Previous day/ }).click();
    await page.waitForURL((url) => url.pathname === '/schedule/2020-12-08');
    await page.getByRole('link', { name: /Next day/ }).click();
    await page.waitForURL((url) => url.pathname === '/schedule/2020-12-09');
    await card(page, 'vidPolka001').waitFor();
  });

  it('a card shows time, talent, thumbnail, title, collaborators named on hover and focus, and its state in words', async () => {
    await page.goto('/schedule/2020-12-09');
    const polka = card(page, 'vidPolka001');
    await polka.waitFor();
    assert.equal(await polka.locator('time').textContent(), '14:00');
    assert.equal(await polka.locator('.card-name').textContent(), '尾丸ポルカ');
    assert.match((await polka.locator('.card-title').textContent()) ?? '', /アカペラで歌う/);
    const watch = polka.locator('a.card-watch');
    assert.equal(await watch.getAttribute('href'), 'https://www.youtube.com/watch?v=vidPolka001');
    assert.equal(await watch.getAttribute('target'), '_blank');
    assert.equal(await polka.locator('.thumb img').getAttribute('loading'), 'lazy');
    // Collaborators: names on hover and on keyboard focus; the unnamed one has a text alternative too.
    const botan = polka.locator('.collab').first();
    assert.equal(await botan.locator('img').getAttribute('alt'), '獅白ぼたん');
    await botan.hover();
    await botan.locator('.tip').waitFor({ state: 'visible' });
    await page.mouse.move(0, 0);
    await botan.locator('.tip').waitFor({ state: 'hidden' });
    await botan.focus();
    await botan.locator('.tip').waitFor({ state: 'visible' });
    assert.equal(await botan.locator('.tip').textContent(), '獅白ぼたん');
    assert.equal(await polka.locator('.collab').nth(1).locator('img').getAttribute('alt'), 'a guest');
    // States: LIVE as text, ended and cancelled marked in words and look.
    assert.equal(await card(page, 'vidPekora01').locator('.badge').textContent(), 'LIVE');
    assert.equal(await card(page, 'vidLui00001').locator('.badge').textContent(), 'Ended');
    assert.equal(await card(page, 'vidBotan001').locator('.badge').textContent(), 'Cancelled');
    const look = (id: string) =>
      card(page, id)
        .locator('.thumb img')
        .evaluate((img) => getComputedStyle(img).filter);
    assert.equal(await look('vidPolka001'), 'none');
    assert.notEqual(await look('vidLui00001'), 'none');
    assert.notEqual(await look('vidBotan001'), 'none');
  });

  it('is usable with the keyboard: a skip link first, and a visible focus ring', async () => {
    await page.goto('/schedule/2020-12-09');
    await card(page, 'vidPolka001').waitFor();
    await page.keyboard.press('Tab');
    const skipLink = page.locator('a.skip');
    assert.equal(await skipLink.evaluate((el) => el === document.activeElement), true);
    const box = await skipLink.boundingBox();
    assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');
  });

  it('filters by group, talent, text and live now, with the filters in the URL (kept on reload)', async () => {
    await page.goto('/schedule/2020-12-09');
    await card(page, 'vidPolka001').waitFor();
    await page.getByLabel('Group').selectOption('holox');
    await page.waitForURL(/[?&]group=holox/);
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 1);
    assert.deepEqual(await shownVideoIds(page), ['vidLui00001']);
    await page.reload();
    await card(page, 'vidLui00001').waitFor();
    assert.equal(await page.getByLabel('Group').inputValue(), 'holox');
    assert.deepEqual(await shownVideoIds(page), ['vidLui00001']);

    await page.goto('/schedule/2020-12-09');
    await page.getByLabel('Talent').selectOption('HL0503');
    await page.waitForURL(/[?&]talent=HL0503/);
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 1);
    assert.deepEqual(await shownVideoIds(page), ['vidPolka001']);

    await page.goto('/schedule/2020-12-09');
    await page.getByRole('searchbox', { name: 'Search' }).fill('ｍｉｎｅｃｒａｆｔ');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/[?&]q=/);
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 1);
    assert.deepEqual(await shownVideoIds(page), ['vidLui00001']);

    await page.goto('/schedule/2020-12-09?live=1');
    await card(page, 'vidPekora01').waitFor();
    assert.deepEqual(await shownVideoIds(page), ['vidPekora01']);
    assert.equal(await page.getByLabel('Live now').isChecked(), true);
    await page.getByLabel('Live now').uncheck();
    await page.waitForURL((url) => url.search === '');
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 4);

    // The day links keep the filters.
    await page.goto('/schedule/2020-12-09?group=holox');
    assert.equal(
      await page.getByRole('link', { name: /Next day/ }).getAttribute('href'),
      '/schedule/2020-12-10?group=holox',
    );
  });

  it('favourites: a star on a card and on the talent page, kept on the server, and a favourites-only view', async () => {
    const token = await sut.login('boss', PASSWORD);
    const serverFavourites = async () => {
      const res = await fetch(`${sut.url}/api/v2/me/favourites`, { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as { talents: string[] }).talents;
    };
    await page.goto('/schedule/2020-12-09');
    const star = card(page, 'vidPolka001').getByRole('button', { name: 'Add 尾丸ポルカ to favourites' });
    await star.click();
    await card(page, 'vidPolka001')
      .getByRole('button', { name: 'Remove 尾丸ポルカ from favourites' })
      .and(page.locator('[aria-pressed="true"]'))
      .waitFor();
    assert.deepEqual(await serverFavourites(), ['HL0503']);

    await page.getByLabel('Favourites only').check();
    await page.waitForURL(/[?&]fav=1/);
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 1);
    assert.deepEqual(await shownVideoIds(page), ['vidPolka001']);

    await page.goto('/talents/HL0503');
    const talentStar = page.locator('.talent-head').getByRole('button', { name: 'Remove 尾丸ポルカ from favourites' });
    assert.equal(await talentStar.getAttribute('aria-pressed'), 'true');
    await talentStar.click();
    await page.locator('.talent-head').getByRole('button', { name: 'Add 尾丸ポルカ to favourites' }).waitFor();
    assert.deepEqual(await serverFavourites(), []);
    await page.goto('/schedule/2020-12-09?fav=1');
    await page.getByText('You have no favourite talents yet').waitFor();
  });

  it('times are in the viewer’s zone by default; the switch to Japan time is remembered', async () => {
    await page.goto('/schedule/2020-12-09');
    const time = card(page, 'vidPolka001').locator('time');
    assert.equal(await time.textContent(), '14:00', '23:00 in Japan is 14:00 UTC (the browser’s zone here)');
    await page.getByLabel('Times in').selectOption('japan');
    await page.waitForFunction(
      () => document.querySelector('article[data-video-id="vidPolka001"] time')?.textContent === '23:00',
    );
    await page.reload();
    await card(page, 'vidPolka001').waitFor();
    assert.equal(await time.textContent(), '23:00');
    assert.equal(await page.getByLabel('Times in').inputValue(), 'japan');
    await page.getByLabel('Times in').selectOption('local');
    await page.waitForFunction(
      () => document.querySelector('article[data-video-id="vidPolka001"] time')?.textContent === '14:00',
    );
  });

  it('speaks Japanese when asked, remembered across a reload, and English again', async () => {
    await page.goto('/talents');
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { level: 1, name: 'タレント一覧' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'タレント一覧' }).waitFor();
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Talents' }).waitFor();
  });

  it('the talents page lists talents by group and links to each talent’s page with upcoming and recent streams', async () => {
    await page.goto('/talents');
    await page
      .getByRole('heading', { level: 2, name: 'holoX' })
      .or(page.locator('h2', { hasText: 'holoX' }))
      .waitFor();
    await page.getByRole('link', { name: /尾丸ポルカ/ }).click();
    await page.waitForURL((url) => url.pathname === '/talents/HL0503');
    await page.getByRole('heading', { level: 1, name: '尾丸ポルカ' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Recent streams' }).waitFor();
    await page.goto('/talents/ZZ9999');
    await page.getByText('No talent has the code ZZ9999.').waitFor();
  });

  it('a stream going live, and one added, appear without a reload', async () => {
    await page.goto('/schedule/2020-12-09');
    await card(page, 'vidPolka001').waitFor();
    await page.getByText('Updates live').waitFor();
    const marker = await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      return true;
    });
    assert.equal(marker, true);
    await changeStream(sut.store, 'HL0503_20201209_230000', { liveStatus: 'live' });
    await page.locator('article[data-video-id="vidPolka001"][data-status="live"]').waitFor();
    assert.equal(await card(page, 'vidPolka001').locator('.badge').textContent(), 'LIVE');
    await addStream(sut.store, {
      code: 'HL0602',
      name: '鷹嶺ルイ',
      datetime: '20201209 235000',
      videoId: 'vidNewOne01',
    });
    await card(page, 'vidNewOne01').waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      true,
      'no reload happened',
    );
  });

  it('a lost connection reconnects and catches up on what changed meanwhile', async () => {
    await page.goto('/schedule/2020-12-09');
    await card(page, 'vidPekora01').waitFor();
    await page.getByText('Updates live').waitFor();
    // Offline, so the page cannot come back at once; then the server drops the open event stream.
    await tab.context.setOffline(true);
    try {
      sut.server.app.server.closeAllConnections();
      await page.getByText('Reconnecting…').waitFor();
      await changeStream(sut.store, 'HL0301_20201209_200000', { liveStatus: 'none' });
    } finally {
      await tab.context.setOffline(false);
    }
    await page.locator('article[data-video-id="vidPekora01"][data-status="ended"]').waitFor();
    await page.getByText('Updates live').waitFor();
  });

  it('a 70-stream day renders every card', async () => {
    await page.goto('/schedule/2020-12-10');
    await page.waitForFunction(() => document.querySelectorAll('article[data-video-id]').length === 70);
    await page.getByText('70 streams').waitFor();
  });

  it('the account page makes and revokes an API key, makes a calendar feed with a webcal:// link', async () => {
    await page.goto('/account');
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const keys = page.getByRole('region', { name: 'API keys' });
    await keys.getByLabel('Name').fill('my bot');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const shown = keys.getByLabel(/Your new key/);
    await shown.waitFor();
    assert.match(await shown.inputValue(), /^hdk_/);
    const key = await shown.inputValue();
    const viaKey = await fetch(`${sut.url}/api/v2/groups`, { headers: { 'x-api-key': key } });
    assert.equal(viaKey.status, 200, 'the key shown reads the API');
    await keys.getByRole('button', { name: 'Revoke my bot' }).click();
    await keys.getByText('None yet.').waitFor();

    const feeds = page.getByRole('region', { name: 'Calendar feeds' });
    await feeds.getByLabel('Name').fill('Polka');
    await feeds.getByLabel(/Talent codes/).fill('HL0503');
    await feeds.getByRole('button', { name: 'Create feed' }).click();
    const link = feeds.getByLabel(/Your feed/);
    await link.waitFor();
    assert.match(await link.inputValue(), /^webcal:\/\/127\.0\.0\.1:\d+\/feeds\/hdf_/);
    assert.match((await feeds.getByRole('link', { name: 'Subscribe' }).getAttribute('href')) ?? '', /^webcal:/);
    await feeds.locator('.row', { hasText: 'Polka' }).waitFor();

    // A new password ends every earlier token; the page signs in again with it and stays signed in.
    const password = page.getByRole('region', { name: 'Change password' });
    await password.getByLabel('Current password').fill(PASSWORD);
    await password.getByLabel('New password').fill(NEW_PASSWORD);
    await password.getByRole('button', { name: 'Save' }).click();
    await password.getByText('Password changed.').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByText('Signed in as boss').waitFor();
    assert.equal(await sut.loginPair('boss', NEW_PASSWORD).then(() => 'ok'), 'ok');
  });

  it('the admin page lists users and creates one', async () => {
    await page.goto('/admin/users');
    await page.locator('.row[data-username="fan01"]').waitFor();
    const create = page.getByRole('region', { name: 'Create user' });
    await create.getByLabel('Username').fill('newfan');
    await create.getByLabel('Password').fill('a-long-password-123');
    await create.getByRole('button', { name: 'Create user' }).click();
    await page.locator('.row[data-username="newfan"]').waitFor();
  });

  it('an unknown page answers 404 with the app’s not-found view', async () => {
    const res = await page.goto('/no/such/page');
    assert.equal(res?.status(), 404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.goto('/schedule/2020-02-30');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });

  it('signing out ends the session, also after a reload', async () => {
    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await page.reload();
    await page.getByText('Sign in to see the schedule.').waitFor();
    const cookies = await tab.context.cookies();
    assert.equal(
      cookies.some((c) => c.name === 'holodule_refresh' && c.value !== ''),
      false,
    );
  });

  it('on a public-read server the schedule works signed out, live updates included', async () => {
    const open = await startWebServer({ HOLODULE_PUBLIC_READ: 'true' });
    const reader = await openContext(browser, open.url);
    try {
      await seed(open.store, DAY);
      await reader.page.goto('/schedule/2020-12-09');
      await card(reader.page, 'vidPolka001').waitFor();
      await reader.page.getByRole('link', { name: 'Sign in' }).first().waitFor();
      await reader.page.getByText('Updates live').waitFor();
      await changeStream(open.store, 'HL0503_20201209_230000', { liveStatus: 'live' });
      await reader.page.locator('article[data-video-id="vidPolka001"][data-status="live"]').waitFor();
      assert.deepEqual(await reader.cspViolations(), []);
    } finally {
      await reader.context.close();
      await open.close();
    }
  });
});
