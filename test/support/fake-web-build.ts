// A stand-in for `vite build`'s output (dist/web), so server tests do not depend on the web page's build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { makeTempDir } from './temp-dir.js';

export const FAKE_ASSET = '/assets/app-abc123.js';
export const FAKE_INDEX = [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><title>holodule</title>',
  '<script type="module" src="/assets/app-abc123.js"></script></head>',
  `<body><div id="app"></div>${'<!-- padding so compression pays -->'.repeat(20)}</body></html>`,
  '',
].join('\n');
export const FAKE_SCRIPT = `export const greeting = ${JSON.stringify('hello from the fake build '.repeat(40))};\n`;

/** Writes index.html, one hashed script and the icon, each text file with .br and .gz siblings. */
export function makeFakeWebBuild(): { root: string; remove: () => void } {
  const dir = makeTempDir('holodule-web-');
  mkdirSync(join(dir.path, 'assets'));
  const write = (path: string, text: string) => {
    const file = join(dir.path, path);
    writeFileSync(file, text);
    writeFileSync(`${file}.br`, brotliCompressSync(text));
    writeFileSync(`${file}.gz`, gzipSync(text));
  };
  write('index.html', FAKE_INDEX);
  write(FAKE_ASSET, FAKE_SCRIPT);
  writeFileSync(join(dir.path, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
  return { root: dir.path, remove: dir.remove };
}
