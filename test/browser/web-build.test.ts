// The built page (dist/web) without a browser: the size budget of the first page, hashed asset names with
// .br/.gz siblings that hold the same bytes, and an index.html the CSP allows (no inline script or style).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { WEB_ROOT } from './harness.js';

/** JavaScript + CSS of the first page, compressed: the page's budget (docs/web-page.md). */
const BUDGET_BYTES = 60 * 1024;

const indexHtml = () => readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');

/** The scripts and stylesheets index.html loads (and preloads). */
function firstPageAssets(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g))
    found.add(match[1]!);
  return [...found];
}

describe('the built page (dist/web)', () => {
  it('is built: index.html and hashed assets', () => {
    assert.ok(existsSync(join(WEB_ROOT, 'index.html')), `${WEB_ROOT}/index.html (npm run build:web)`);
    const assets = firstPageAssets(indexHtml());
    assert.ok(assets.some((a) => a.endsWith('.js')));
    assert.ok(assets.some((a) => a.endsWith('.css')));
    for (const asset of assets) assert.match(asset, /^\/assets\/[\w-]+-[\w-]{8,}\.(js|css)$/, 'a hashed name');
  });

  it(`loads at most ${BUDGET_BYTES / 1024} KB of JavaScript and CSS for the first page, gzip or brotli`, () => {
    let gzip = 0;
    let brotli = 0;
    let raw = 0;
    for (const asset of firstPageAssets(indexHtml())) {
      const path = join(WEB_ROOT, asset);
      raw += statSync(path).size;
      gzip += statSync(`${path}.gz`).size;
      brotli += statSync(`${path}.br`).size;
    }
    assert.ok(gzip <= BUDGET_BYTES, `gzip: ${gzip} bytes (raw ${raw})`);
    assert.ok(brotli <= BUDGET_BYTES, `brotli: ${brotli} bytes (raw ${raw})`);
  });

  it('has a .br and a .gz sibling holding the same bytes for each text file', () => {
    const files = [
      'index.html',
      ...readdirSync(join(WEB_ROOT, 'assets'))
        .filter((f) => /\.(js|css)$/.test(f))
        .map((f) => `assets/${f}`),
    ];
    for (const file of files) {
      const body = readFileSync(join(WEB_ROOT, file));
      assert.deepEqual(gunzipSync(readFileSync(join(WEB_ROOT, `${file}.gz`))), body, `${file}.gz`);
      assert.deepEqual(brotliDecompressSync(readFileSync(join(WEB_ROOT, `${file}.br`))), body, `${file}.br`);
    }
  });

  it('index.html has no inline script, no inline style and nothing from another site', () => {
    const html = indexHtml();
    for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(script[1]!, /\bsrc="\//, 'every script is a file of this site');
      assert.equal(script[2]!.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\s(?:src|href)="(?:https?:)?\/\//i, 'nothing from a CDN');
  });

  it('the bundle evaluates no strings as code (no eval, no new Function: CSP has no unsafe-eval)', () => {
    for (const asset of firstPageAssets(indexHtml()).filter((a) => a.endsWith('.js'))) {
      const code = readFileSync(join(WEB_ROOT, asset), 'utf8');
      assert.doesNotMatch(code, /\beval\(|new Function\(/);
    }
  });
});
