// The page on a 360 px phone in dark mode (Chromium): no page scrolls sideways, every control is a touch target
// of at least 44 × 44 px, and axe-core finds no serious or critical violation in the dark colours either.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/test-server.js';
import {
  axeViolations,
  browserSkip,
  launchBrowser,
  openContext,
  type PageContext,
  seed,
  signIn,
  startWebServer,
} from './harness.js';

const skip = browserSkip();
const PASSWORD = 'password-for-tests-01';
const PAGES = ['/schedule/2020-12-09', '/talents', '/talents/HL0503', '/account', '/admin/users', '/login', '/nope'];

async function settled(page: Page): Promise<void> {
  await page.locator('#page-title').waitFor();
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
}

/** Controls smaller than 44 × 44 px (a checkbox counts by its label, which takes the tap). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex="0"]');
    for (const control of controls) {
      const target =
        control instanceof HTMLInputElement && control.type === 'checkbox'
          ? (control.closest('label') ?? control)
          : control;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      if (box.bottom <= 0) continue; // the skip link, off screen until focused
      if (box.width < 44 || box.height < 44)
        small.push(
          `${control.tagName.toLowerCase()}.${control.className} "${(control.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
    }
    return small;
  });
}

describe('the page on a 360 px phone, dark', { skip }, () => {
  let browser: Browser;
  let sut: TestServer;
  let tab: PageContext;

  before(async () => {
    sut = await startWebServer();
    await sut.addUser('boss', PASSWORD, { role: 'admin' });
    await seed(sut.store, [
      {
        code: 'HL0503',
        name: '尾丸ポルカ',
        datetime: '20201209 230000',
        videoId: 'vidPolka001',
        title: 'とても長いタイトルの配信：歌枠、雑談、ゲーム、そしてもっとたくさんのこと、最後まで見てね',
        collaborators: [
          { code: 'HL0501', name: '獅白ぼたん' },
          { code: null, name: 'ゲスト' },
        ],
      },
      { code: 'HL0301', name: '兎田ぺこら', datetime: '20201209 200000', videoId: 'vidPekora01', status: 'live' },
    ]);
    browser = await launchBrowser();
    tab = await openContext(browser, sut.url, {
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    await signIn(tab.page, 'boss', PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('no page scrolls sideways at 360 px', async () => {
    for (const path of PAGES) {
      await tab.page.goto(path);
      await settled(tab.page);
      const { scrollWidth, width } = await tab.page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        width: window.innerWidth,
      }));
      assert.ok(scrollWidth <= width, `${path}: ${scrollWidth} px wide in a ${width} px window`);
    }
  });

  it('every control is at least 44 × 44 px', async () => {
    for (const path of PAGES) {
      await tab.page.goto(path);
      await settled(tab.page);
      assert.deepEqual(await smallTargets(tab.page), [], path);
    }
  });

  it('dark mode is on, and axe-core finds no serious or critical violation in it', async () => {
    for (const path of PAGES) {
      await tab.page.goto(path);
      await settled(tab.page);
      const background = await tab.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, 'rgb(17, 21, 28)', `${path}: the dark background`);
      assert.deepEqual(await axeViolations(tab.page), [], `axe on ${path}`);
      assert.deepEqual(await tab.cspViolations(), [], `CSP on ${path}`);
    }
  });
});
