// The camera page end to end in Debian's Chromium against `wyze-nvr demo` (4 s segments): the timeline
// shows the recorded footage; a click plays from the clicked time (the playing clock within 1 s of it);
// playback crosses segment boundaries without stalling; "Next event" jumps to a seeded event; after a
// restart of the demo its recorder_down gap is drawn and named in the tooltip, and playback skips it with
// a notice. Screenshots at desktop and phone width go to test-output/web (timeline-*.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { BAR_Y, canvasPixel, countWaits, playbackState, timeAt, timelineGeometry, timelineReady, xOf } from './support/timeline-page';
import { openApp, screenshots, signIn, startWebDemo, type WebDemo } from './support/web-app';

let demo: WebDemo;
let browser: Browser;

before(async () => {
  demo = await startWebDemo({ SEGMENT_SECONDS: '4' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

/** The first recorded ms and the end of the closed segments, once `seconds` of footage are closed. */
async function footage(seconds: number): Promise<{ fromMs: number; toMs: number }> {
  return eventually(
    async () => {
      const [r] = await demo.query<{ from_us: string; to_us: string }>(`SELECT min(start_us) AS from_us, max(end_us) AS to_us FROM segments WHERE camera_id = $1 AND state = 'closed'`, [demo.cameraId]);
      const span = r && r.from_us !== null ? { fromMs: Number(r.from_us) / 1000, toMs: Number(r.to_us) / 1000 } : undefined;
      return span && span.toMs - span.fromMs >= seconds * 1000 && span;
    },
    180_000,
    `${seconds} s of closed footage`,
  );
}

async function openCameraPage(): Promise<{ page: Page; close: () => Promise<void>; console: string[] }> {
  const { page, context, console } = await openApp(browser);
  await page.goto(`${demo.url}/#/cameras/${demo.cameraId}`);
  await signIn(page, demo.token);
  await page.getByRole('heading', { name: 'demo camera' }).waitFor();
  await timelineReady(page);
  return { page, close: () => context.close(), console };
}

/** Clicks the timeline at (about) `ms`; the time the click stands for, from the pixel clicked. */
async function clickTimelineAt(page: Page, ms: number): Promise<number> {
  const g = await timelineGeometry(page);
  // A whole page pixel: the browser may round a fractional pointer position.
  const pageX = Math.round(g.left + xOf(g, ms));
  await page.mouse.click(pageX, g.top + BAR_Y);
  return timeAt(g, pageX - g.left);
}

/** Waits until the video plays (currentTime advancing); its state then. */
async function whenPlaying(page: Page, c: string[]) {
  const first = await eventually(async () => {
    const s = await playbackState(page);
    return s.currentTime > 0 && !s.paused && s.wallMs !== null && s;
  }, 20_000, 'the video to start').catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await playbackState(page))}\n${c.join('\n')}`));
  return eventually(async () => {
    const s = await playbackState(page);
    return s.currentTime > first.currentTime && s;
  }, 10_000, 'currentTime to advance');
}

test('the timeline shows coverage; a click plays from the clicked time and crosses segment boundaries without stalling', { timeout: 300_000 }, async () => {
  const span = await footage(40);
  const { page, close, console } = await openCameraPage();
  const g = await timelineGeometry(page);
  // Footage drawn green where it was recorded, and grey after now… (the demo's clock is this machine's).
  const recordedX = xOf(g, span.fromMs + 20_000);
  const [r, gr, b] = await canvasPixel(page, recordedX, BAR_Y);
  assert.deepEqual([r, gr, b], [0x2e, 0xa0, 0x43], `recorded footage is drawn green at x=${recordedX}`);
  await page.mouse.move(g.left + recordedX, g.top + BAR_Y);
  await page.getByRole('tooltip').filter({ hasText: 'Recorded' }).waitFor();

  const clicked = await clickTimelineAt(page, span.fromMs + 6000);
  const s = await whenPlaying(page, console);
  await countWaits(page);
  // The page keeps the time played from in its address (#/cameras/1?at=…): the clicked pixel's time.
  const seekedTo = Date.parse(new URL(page.url().replace('#', '')).searchParams.get('at') ?? '');
  const pxMs = (g.toMs - g.fromMs) / g.width;
  assert.ok(Math.abs(seekedTo - clicked) <= pxMs / 4, `the page plays from ${new Date(seekedTo).toISOString()}, the pixel clicked is ${new Date(clicked).toISOString()}`);
  assert.ok(Math.abs(s.wallMs! - clicked) <= 1000, `plays from ${new Date(s.wallMs!).toISOString()} (${JSON.stringify(s)}), clicked ${new Date(clicked).toISOString()}`);
  // The segments are 4 s long: 10 s of playback crosses at least two boundaries.
  const [{ n }] = await demo.query<{ n: string }>(`SELECT count(*) AS n FROM segments WHERE camera_id = $1 AND start_us > $2 AND start_us < $3`, [demo.cameraId, Math.round(s.wallMs! * 1000), Math.round((s.wallMs! + 10_000) * 1000)]);
  assert.ok(Number(n) >= 2, `${n} segment boundaries ahead`);
  const later = await eventually(async () => {
    const x = await playbackState(page);
    return x.wallMs! >= s.wallMs! + 10_000 && x;
  }, 60_000, '10 s of playback');
  assert.equal(later.paused, false);
  assert.equal(later.waits, 0, 'no stall for lack of data while crossing segment boundaries');
  assert.ok(Math.abs(later.wallMs! - clicked - later.currentTime * 1000 + s.currentTime * 1000 - (s.wallMs! - clicked)) < 300, 'the clock follows the video time');
  await screenshots(page, 'timeline');
  await close();
});
