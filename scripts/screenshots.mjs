// npm run screenshots: PNGs of the main pages (desktop and a 360 px phone, light and dark) in docs/screenshots/.
// Starts a holodule of its own (a temporary SQLite database with a made-up day, 2020-12-09, and an admin), serves
// the built page, and photographs it in Debian's Chromium (playwright-core). Pictures come from a local
// stand-in for YouTube's image hosts, so nothing leaves the machine. Run `npm run build` first (the npm script does).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createPasswordHasher } from '../dist/src/auth/passwords.js';
import { loadConfig } from '../dist/src/config.js';
import { startServer } from '../dist/src/bootstrap/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');
const executablePath = process.env.HOLODULE_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'screenshots-password-1';

const DAY = [
  ['HL0001', 'ときのそら', '190000', 'ended', '朝のお歌枠 / morning songs', []],
  ['HL0301', '兎田ぺこら', '200000', 'live', 'マインクラフトで大冒険ぺこ！', [['HL0303', '宝鐘マリン']]],
  ['HL0602', '鷹嶺ルイ', '200000', 'live', '【雑談】今日のできごと / chatting', []],
  ['HL0G02', '大神ミオ', '210000', 'upcoming', 'タロット占い / tarot reading', []],
  [
    'HL0501',
    '獅白ぼたん',
    '220000',
    'upcoming',
    'FPS practice with friends',
    [
      ['HL0503', '尾丸ポルカ'],
      [null, null],
    ],
  ],
  ['HL0503', '尾丸ポルカ', '230000', 'upcoming', 'アカペラで歌う / a cappella', []],
  ['HL0505', '魔乃アロエ', '180000', 'missing', '初配信 / first stream', []],
  ['HL0303', '宝鐘マリン', '240000', 'upcoming', '深夜のマリン船長', [['HL0301', '兎田ぺこら']]],
];
const COLOURS = ['#5b8def', '#e86f9a', '#4fb286', '#f0a23b', '#8a6be0', '#e05a4f', '#3bb0c9', '#b0a03b'];

function picture(url) {
  const n = [...url].reduce((sum, c) => sum + c.charCodeAt(0), 0);
  const colour = COLOURS[n % COLOURS.length];
  const round = url.includes('yt3.');
  return round
    ? `<svg xmlns="http://www.w3.org/2000/svg" width="88" height="88"><rect width="88" height="88" fill="${colour}"/><circle cx="44" cy="34" r="16" fill="#fff" opacity=".85"/><ellipse cx="44" cy="80" rx="28" ry="22" fill="#fff" opacity=".85"/></svg>`
    : `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour}"/><stop offset="1" stop-color="#1c2333"/></linearGradient></defs><rect width="320" height="180" fill="url(#g)"/><polygon points="140,65 140,115 185,90" fill="#fff" opacity=".8"/></svg>`;
}

const stream = ([code, name, time, status, title, collaborators], i) => {
  const videoId = `shot${String(i).padStart(7, '0')}`;
  const datetime = time === '240000' ? '20201210 000000' : `20201209 ${time}`;
  return {
    key: `${code}_${datetime.replace(' ', '_')}`,
    video_id: videoId,
    datetime,
    name,
    title,
    url: `https://www.youtube.com/watch?v=${videoId}`,
    description: '',
    extra: {
      live_status: status === 'missing' ? 'unavailable' : status === 'ended' ? 'none' : status,
      thumbnail: `https://i.ytimg.com/vi/${videoId}/mqdefault.jpg`,
      collaborators: collaborators.map(([c, n]) => ({
        code: c,
        name: n,
        avatar: `https://yt3.ggpht.com/${c ?? 'guest'}=s88`,
      })),
    },
  };
};

const dataDir = mkdtempSync(join(tmpdir(), 'holodule-shots-'));
const config = loadConfig({
  HOLODULE_DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  HOLODULE_SAMPLE_DATA: 'false',
  JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
  HOLODULE_COLLECT_INTERVAL: '0',
  HOLODULE_WEB_ROOT: join(root, 'dist', 'web'),
});
const server = await startServer(config, pino({ level: 'error' }));
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const hasher = await createPasswordHasher(config.passwords);
  await server.store.users.create({
    id: '1',
    username: 'yagoo',
    password: await hasher.hash(PASSWORD),
    extra: { role: 'admin' },
  });
  await server.store.streams.upsertMany(DAY.map(stream));
  // Avatars for the talents on the cards (an admin's correction, as on a real server).
  for (const code of ['HL0001', 'HL0301', 'HL0602', 'HL0G02', 'HL0501', 'HL0503', 'HL0505', 'HL0303'])
    await server.store.talents.update(code, { avatar: `https://yt3.ggpht.com/${code}=s88` });
  const base = server.url.replace('localhost', '127.0.0.1');
  mkdirSync(out, { recursive: true });

  const shots = [
    ['day', '/schedule/2020-12-09', ['desktop-light', 'desktop-dark', 'phone-light', 'phone-dark']],
    ['talent', '/talents/HL0503', ['desktop-light', 'phone-dark']],
    ['talents', '/talents', ['desktop-dark', 'phone-light']],
    ['account', '/account', ['desktop-light', 'phone-dark']],
  ];
  for (const variant of ['desktop-light', 'desktop-dark', 'phone-light', 'phone-dark']) {
    const phone = variant.startsWith('phone');
    const context = await browser.newContext({
      baseURL: base,
      viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 860 },
      deviceScaleFactor: phone ? 2 : 1,
      isMobile: phone,
      hasTouch: phone,
      colorScheme: variant.endsWith('dark') ? 'dark' : 'light',
      timezoneId: 'Asia/Tokyo',
      locale: 'en-GB',
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === new URL(base).origin) return route.continue();
      if (/^(i\.ytimg|img\.youtube|yt3\.ggpht|yt3\.googleusercontent)\.com$/.test(url.hostname))
        return route.fulfill({ contentType: 'image/svg+xml', body: picture(url.href) });
      return route.abort();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/login?next=/talents');
    await page.getByLabel('Username').fill('yagoo');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/talents');
    // A favourite, so the stars show both ways.
    const polka = page.locator('.talent-item', { hasText: '尾丸ポルカ' });
    await polka.getByRole('button').waitFor();
    if ((await polka.getByRole('button').getAttribute('aria-pressed')) !== 'true') {
      await polka.getByRole('button').click();
      await polka.locator('[aria-pressed="true"]').waitFor();
    }
    for (const [name, path, variants] of shots) {
      if (!variants.includes(variant)) continue;
      await page.goto(path);
      await page.locator('#page-title').waitFor();
      await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
      // The pictures on screen have loaded (lazy ones further down have not started).
      await page.waitForFunction(() =>
        [...document.images].every((img) => img.getBoundingClientRect().top > innerHeight || img.complete),
      );
      const file = join(out, `${name}-${variant}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(`holodule: ${file}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
