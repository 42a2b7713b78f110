// The camera page end to end in Debian's Chromium against `wyze-nvr demo` (4 s segments): the timeline
// shows the recorded footage; a click plays from the clicked time (the playing clock within 1 s of it);
// playback crosses segment boundaries without stalling; "Next event" jumps to a seeded event; after a
// restart of the demo its recorder_down gap is drawn and named in the tooltip, and playback skips it with
// a notice; a 30 s range selected on the timeline is exported and decodes. Screenshots at desktop and phone width go to test-output/web (timeline-*.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ffmpegDecodeErrors, ffprobeVideoDurationS } from './support/api-media-checks';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { BAR_Y, canvasPixel, countWaits, drawnAtWidth, playbackState, timeAt, timelineGeometry, timelineReady, xOf } from './support/timeline-page';
import { openApp, screenshots, signIn, startWebDemo, type WebDemo } from './support/web-app';

let demo: WebDemo;
let browser: Browser;
const downloads = mkdtempSync(join(tmpdir(), 'wyze-web-timeline-'));

before(async () => {
  demo = await startWebDemo({ SEGMENT_SECONDS: '4' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.close();
  rmSync(downloads, { recursive: true, force: true });
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

/** Follows an export row to 100 % and downloads its file; the saved path. */
async function downloadWhenDone(page: Page, exportId: string): Promise<string> {
  const row = page.locator(`tr[data-export="${exportId}"]`);
  await eventually(async () => (await row.getAttribute('data-state')) === 'completed', 90_000, `export ${exportId} to complete`);
  assert.equal(await row.getByRole('progressbar').getAttribute('value'), '100');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /^Download/ }).click()]);
  const path = join(downloads, `${exportId}.mp4`);
  await download.saveAs(path);
  return path;
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

test('"Next event" plays from the next event after the playing time', { timeout: 240_000 }, async () => {
  const span = await footage(30);
  const startMs = span.fromMs + 20_000;
  await demo.query(`INSERT INTO events (camera_id, kind, start_us, end_us, peak_score, pre_roll_us, post_roll_us) VALUES ($1, 'motion', $2, $3, 2.5, 2000000, 2000000)`, [demo.cameraId, startMs * 1000, (startMs + 4000) * 1000]);
  const { page, close, console } = await openCameraPage();
  await clickTimelineAt(page, span.fromMs + 4000);
  await whenPlaying(page, console);
  // The page asks for the first event starting over 0.5 s after the time playing at the click; playback goes
  // on while the test reads that time and clicks, so the click's time lies between two bounds.
  const t0 = Date.now();
  const playingBefore = (await playbackState(page)).wallMs!;
  await page.getByRole('button', { name: 'Next event' }).click();
  const playingAtMost = playingBefore + (Date.now() - t0) + 200;
  const eventMs = await eventually(async () => {
    const ms = Date.parse(new URL(page.url().replace('#', '')).searchParams.get('at')!);
    return ms > playingBefore + 500 && ms;
  }, 10_000, 'the address at the next event');
  // The demo detects motion too: the page's event is whichever starts first after the click's time.
  const starts = (await demo.query<{ start_us: string }>(`SELECT start_us FROM events WHERE camera_id = $1 AND start_us > $2 ORDER BY start_us`, [demo.cameraId, Math.round((playingBefore + 500) * 1000)])).map((r) => Number(r.start_us) / 1000);
  assert.ok(starts.some((ms) => Math.abs(ms - eventMs) < 1), `plays from an event’s start (${new Date(eventMs).toISOString()})`);
  assert.ok(!starts.some((ms) => ms > playingAtMost + 500 && ms < eventMs - 1), 'no event starts between the click’s time and the one played');
  assert.ok(eventMs <= startMs, 'the event inserted ahead is found when nothing comes before it');
  const at = await eventually(async () => {
    const x = await playbackState(page);
    return x.wallMs !== null && x.wallMs >= eventMs - 1000 && x.wallMs < eventMs + 3000 && !x.paused && x;
  }, 30_000, 'playback at the next event').catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await playbackState(page))}`));
  assert.ok(at.wallMs! - eventMs < 3000);
  await close();
});

test('a 30 s range selected on the timeline is exported: progress to 100 %, the download decodes with ffprobe', { timeout: 300_000 }, async () => {
  const span = await footage(44);
  const { page, close } = await openCameraPage();
  await page.getByRole('button', { name: 'Select a range' }).click();
  const g = await timelineGeometry(page);
  const pxMs = (g.toMs - g.fromMs) / g.width;
  const x0 = Math.round(g.left + xOf(g, span.fromMs + 6000));
  const x1 = x0 + Math.round(30_000 / pxMs);
  await page.mouse.move(x0, g.top + BAR_Y);
  await page.mouse.down();
  await page.mouse.move(x0 + 3, g.top + BAR_Y);
  await page.mouse.move(x1, g.top + BAR_Y, { steps: 5 });
  await page.mouse.up();
  const region = page.getByRole('region', { name: 'Selected range' });
  await region.waitFor();
  const before = new Set((await demo.query<{ id: string }>(`SELECT id FROM exports`)).map((r) => r.id));
  await region.getByRole('button', { name: 'Export this range' }).click();
  const exportId = await eventually(async () => (await demo.query<{ id: string }>(`SELECT id FROM exports`)).map((r) => r.id).find((id) => !before.has(id)), 10_000, 'the export row');
  const [row] = await demo.query<{ from_us: string; to_us: string }>(`SELECT from_us, to_us FROM exports WHERE id = $1`, [exportId]);
  const seconds = (Number(row.to_us) - Number(row.from_us)) / 1e6;
  assert.ok(Math.abs(seconds - 30) <= pxMs / 1000, `the selection is 30 s to a pixel (${seconds} s)`);
  assert.ok(Math.abs(Number(row.from_us) / 1000 - timeAt(g, x0 - g.left)) < 2, 'the export starts where the selection does');
  const file = await downloadWhenDone(page, exportId);
  assert.equal(ffmpegDecodeErrors(file), '');
  const duration = ffprobeVideoDurationS(file);
  assert.ok(duration >= seconds - 0.5 && duration < seconds + 3, `${duration} s from the keyframe at or before the start`);
  await screenshots(page, 'timeline-export');
  await close();
});

test('after a restart of the demo: a recorder_down gap with its reason in the tooltip, skipped by playback with a notice', { timeout: 300_000 }, async () => {
  await footage(12);
  await demo.restart(6000);
  const gap = await eventually(async () => {
    const [r] = await demo.query<{ start_us: string; end_us: string | null }>(`SELECT start_us, end_us FROM gaps WHERE camera_id = $1 AND reason = 'recorder_down' ORDER BY start_us DESC LIMIT 1`, [demo.cameraId]);
    return r?.end_us ? { fromMs: Number(r.start_us) / 1000, toMs: Number(r.end_us) / 1000 } : undefined;
  }, 120_000, 'a closed recorder_down gap');
  await eventually(async () => {
    const [r] = await demo.query<{ to_us: string | null }>(`SELECT max(end_us) AS to_us FROM segments WHERE camera_id = $1 AND state = 'closed'`, [demo.cameraId]);
    return r.to_us !== null && Number(r.to_us) / 1000 > gap.toMs + 12_000;
  }, 120_000, '12 s of footage after the gap');
  const { page, close, console } = await openCameraPage();
  const g = await timelineGeometry(page);
  await page.mouse.move(Math.round(g.left + xOf(g, (gap.fromMs + gap.toMs) / 2)), g.top + BAR_Y);
  const tip = page.getByRole('tooltip');
  await tip.filter({ hasText: 'recorder down' }).waitFor();
  assert.match(await tip.innerText(), /No footage: recorder down\. The recorder was not running\./);
  // Every pixel inside the gap (spans are drawn on whole pixels; the edge pixels may be footage's) is in the recorder-down colour.
  const [gx0, gx1] = [Math.round(xOf(g, gap.fromMs)), Math.round(xOf(g, gap.toMs))];
  const inside = gx1 - gx0 >= 3 ? [gx0 + 1, gx1 - 1] : [Math.floor((gx0 + gx1) / 2), Math.floor((gx0 + gx1) / 2) + 1];
  for (let px = inside[0]; px < inside[1]; px++) {
    assert.deepEqual(await canvasPixel(page, px, BAR_Y), [0x6e, 0x76, 0x81], `the gap is drawn in the recorder-down colour at x=${px} (gap ${gx0}–${gx1})`);
  }
  await screenshots(page, 'timeline-gap');
  await drawnAtWidth(page);

  // Play from 3 s before the gap: playback goes on after it, saying what it skipped.
  await clickTimelineAt(page, gap.fromMs - 3000);
  await whenPlaying(page, console);
  const notice = page.locator('.playback-notice').filter({ hasText: /^Skipped .* gap: recorder down/ });
  await notice.waitFor({ timeout: 30_000 });
  const after = await eventually(async () => {
    const x = await playbackState(page);
    return x.wallMs! > gap.toMs + 500 && x;
  }, 30_000, 'playback after the gap');
  assert.equal(after.paused, false);
  await close();
});

test('the all-cameras timeline: a row per camera drawn from one coverage request; a click opens the camera playing from there', { timeout: 240_000 }, async () => {
  // At a day's scale a pixel is over a minute: 90 s of footage, aimed at its middle.
  const span = await footage(90);
  const mid = (span.fromMs + span.toMs) / 2;
  const { page, context, console } = await openApp(browser);
  await page.goto(`${demo.url}/#/timeline`);
  const coverage = page.waitForResponse((r) => new URL(r.url()).pathname === '/coverage');
  await signIn(page, demo.token);
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  assert.equal((await coverage).status(), 200);
  await timelineReady(page);
  const row = page.getByRole('slider', { name: 'Timeline of demo camera (emulated)' });
  const box = (await row.boundingBox())!;
  const [min, max] = [Number(await row.getAttribute('aria-valuemin')), Number(await row.getAttribute('aria-valuemax'))];
  assert.equal(max - min, 86_400_000, 'a whole day (a day of 23 or 25 hours excepted)');
  const g = { left: box.x, top: box.y, width: box.width, fromMs: min, toMs: max };
  // A second of footage is far less than a pixel here: hover says what is there.
  await page.mouse.move(g.left + xOf(g, mid), g.top + 10);
  await page.getByRole('tooltip').filter({ hasText: 'Recorded' }).waitFor();
  await screenshots(page, 'timeline-all-cameras');
  await drawnAtWidth(page);
  const pageX = Math.round(g.left + xOf(g, mid));
  await page.mouse.click(pageX, g.top + 10);
  await page.getByRole('heading', { name: 'demo camera (emulated)' }).waitFor();
  const at = await eventually(async () => new URL(page.url().replace('#', '')).searchParams.get('at') ?? undefined, 10_000, 'the camera page at a time');
  assert.ok(Math.abs(Date.parse(at) - timeAt(g, pageX - g.left)) <= (max - min) / box.width / 4, 'the camera page plays from the clicked time');
  await whenPlaying(page, console);
  await context.close();
});
