// Debian's Chromium (package `chromium`, installed by .ci/run) driven by playwright-core: no browser download.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
/** A phone held upright (CSS pixels of a 6.1" phone). */
export const PHONE = { width: 390, height: 844 };

/** A page of a fresh context with the API token already in the tab's sessionStorage, as the page keeps it. */
export async function pageWithToken(browser: Browser, token: string | null, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; console: string[] }> {
  const context = await browser.newContext({ viewport, isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
  if (token !== null) await context.addInitScript(`sessionStorage.setItem('wyze-nvr.api-token', ${JSON.stringify(token)})`);
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  return { context, page, console };
}

/** What the live page's player reports (see apps/web/live-player/live-player.js, LivePlayer.stats). */
export interface PlayerState {
  state: string;
  message: string;
  mime: string;
  width: number;
  skips: number;
  connects: number;
  jumps: number;
  aheadS: number;
  pictureTimeMs: number | null;
  currentTime: number;
  videoWidth: number;
  videoHeight: number;
  audioBytes: number;
  paused: boolean;
  pageMessage: string;
  now: number;
}

/** Read in the page (a string: this project's TypeScript has no DOM types). */
const READ_PLAYER = `(() => {
  const v = document.getElementById('video');
  const m = document.getElementById('message');
  return {
    ...(globalThis.livePlayer ? globalThis.livePlayer.stats : {}),
    currentTime: v.currentTime,
    videoWidth: v.videoWidth,
    videoHeight: v.videoHeight,
    audioBytes: v.webkitAudioDecodedByteCount ?? 0,
    paused: v.paused,
    pageMessage: m.hidden ? '' : m.textContent,
    now: Date.now(),
  };
})()`;

export function playerState(page: Page): Promise<PlayerState> {
  return page.evaluate(READ_PLAYER) as Promise<PlayerState>;
}
