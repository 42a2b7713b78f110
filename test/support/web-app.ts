// The web app in Debian's Chromium against `wyze-nvr demo` (emulated camera → recorder → API, one process),
// here on a fresh PostgreSQL database so a test can seed rows (an event) and expire a session as time would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { DESKTOP, PHONE } from './browser';
import { CliProcess, freePort, repoRoot } from './cli';
import { createTestDatabase, type TestDatabase } from './pg';

/** Where browser tests put their screenshots (to look at, and for docs/screenshots). */
export const SCREENSHOTS = process.env.WEB_SCREENSHOTS ?? join(repoRoot, 'test-output', 'web');
/** A phone as narrow as the issue asks for (iPhone SE / mini class). */
export const NARROW_PHONE = { width: 375, height: 740 };

/**
 * Builds apps/web into dist/web when the build is missing or older than a source file (npm test builds it
 * before the tests; a single test file run by hand may not have).
 */
export function ensureWebBuilt(): void {
  const index = join(repoRoot, 'dist', 'web', 'index.html');
  const newest = (dir: string): number => {
    let t = 0;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const s = statSync(p);
      t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
    }
    return t;
  };
  const sources = Math.max(newest(join(repoRoot, 'apps', 'web', 'src')), newest(join(repoRoot, 'apps', 'web', 'live-player')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'apps/web'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface WebDemo {
  url: string;
  token: string;
  cameraId: number;
  demo: CliProcess;
  db: TestDatabase;
  /**
   * Stops the demo (SIGTERM, as a service manager would), waits `pauseMs`, and starts it again on the same
   * database, data directory and port: the recorder writes a recorder_down gap for the time it was away.
   */
  restart(pauseMs: number): Promise<void>;
  /** SQL on the demo's database (seeding, expiring sessions). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** `demo` on a fresh database; `camera: false` runs it without the emulated camera (cameraId 0). */
export async function startWebDemo(env: Record<string, string> = {}, o: { camera?: boolean } = {}): Promise<WebDemo> {
  ensureWebBuilt();
  const withCamera = o.camera !== false;
  const db = await createTestDatabase('wyze_nvr_web');
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-web-demo-'));
  const args = withCamera ? ['demo'] : ['demo', '--no-camera'];
  const demoEnv = { DATA_DIR: dataDir, API_PORT: String(await freePort()), DATABASE_URL: db.url, ...env };
  let demo = new CliProcess(args, demoEnv);
  const client = new Client({ connectionString: db.url });
  try {
    const [, url] = await demo.waitFor(/web app:\s+(http:\/\/\S+?)\/?\s/, 90_000);
    const [, cameraId] = withCamera ? await demo.waitFor(/camera:\s+#(\d+)/) : ['', '0'];
    await client.connect();
    return {
      url,
      token: readFileSync(join(dataDir, 'api-token'), 'utf8').trim(),
      cameraId: Number(cameraId),
      get demo() {
        return demo;
      },
      db,
      async restart(pauseMs: number) {
        const code = await demo.stop('SIGTERM');
        if (code !== 0) throw new Error(`demo exited with ${code}\n${demo.output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, pauseMs));
        demo = new CliProcess(args, demoEnv);
        await demo.waitFor(/web app:\s+(http:\/\/\S+?)\/?\s/, 90_000);
      },
      async query<T>(sql: string, params: unknown[] = []) {
        return (await client.query(sql, params)).rows as T[];
      },
      async close() {
        await client.end().catch(() => undefined);
        const code = await demo.stop('SIGTERM');
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
        if (code !== 0) throw new Error(`demo exited with ${code}\n${demo.output.slice(-2000)}`);
      },
    };
  } catch (e) {
    await client.end().catch(() => undefined);
    await demo.stop('SIGKILL');
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Console lines and page errors, for failure messages. */
  console: string[];
}

/** A fresh browser context (no cookie) at desktop or phone size. */
export async function openApp(browser: Browser, viewport: { width: number; height: number } = DESKTOP): Promise<AppPage> {
  const phone = viewport.width < 600;
  const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, acceptDownloads: true });
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  return { context, page, console };
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/** Saves `<name>-desktop.png` and `<name>-phone.png`: the page as it is, then at phone width. */
export async function screenshots(page: Page, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  const fullPage = o.fullPage ?? true;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage });
  await page.setViewportSize(NARROW_PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage });
  await page.setViewportSize(size);
}

export { DESKTOP, PHONE };
