// The web app's build (`npm run build:web` → dist/web, served by the API at `/`) and its dev server
// (`npm run dev:web`), which proxies every API route to a running API so the page and the API share an
// origin as they do in production: the session cookie (SameSite=Strict) and the Origin checks hold.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.WYZE_NVR_API ?? 'http://127.0.0.1:8080';
/** The API's top-level paths (the REST routes and the live page's files); the app itself is `/` and `/assets`. */
const API_PATHS = ['/auth', '/cameras', '/events', '/exports', '/recordings', '/segments', '/retention', '/storage', '/jobs', '/cloud', '/health', '/metrics', '/api', '/live.html', '/live-page.js', '/live-player.js'];

export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Fonts, icons and scripts are all local: the app works offline and loads nothing from another origin.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: api, ws: p === '/cameras' }])),
  },
});
