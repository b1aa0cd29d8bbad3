// Builds the page (web/) into dist/web: hashed asset names, no inline scripts or styles (the server's CSP
// allows 'self' only). `vite dev` (npm run web:dev) serves it with hot reload and sends /api, /auth, /me,
// /users and /feeds to a holodule running on HOLODULE_DEV_API (default http://localhost:5000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.HOLODULE_DEV_API ?? 'http://localhost:5000';
const proxied = ['/api', '/auth', '/me', '/users', '/feeds', '/holodules', '/healthz', '/readyz'];

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline assets: a data: URL for a module preload polyfill or a small image is not needed, and
    // style-src 'self' forbids inline styles anyway.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
