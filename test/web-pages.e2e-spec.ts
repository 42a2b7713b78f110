// The events, exports and storage pages, end to end in Debian's Chromium against `wyze-nvr demo` (4 s
// segments): an event's clip plays; protect; export the event and a 30 s range, follow both on the exports
// page to 100 %, download them and decode them with ffmpeg/ffprobe; the retention form saves and "Run now"
// reports what the sweep did. The event is a row seeded over recorded footage (the demo's looped fixture has
// no motion to detect at a known time). Screenshots at desktop and phone width go to test-output/web.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ffmpegDecodeErrors, ffprobeVideoDurationS } from './support/api-media-checks';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { openApp, screenshots, signIn, startWebDemo, type WebDemo } from './support/web-app';

let demo: WebDemo;
let browser: Browser;
const downloads = mkdtempSync(join(tmpdir(), 'wyze-web-downloads-'));

before(async () => {
  demo = await startWebDemo({ SEGMENT_SECONDS: '4' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.close();
  rmSync(downloads, { recursive: true, force: true });
});

/** The first recorded µs and the end of the closed segments, once `seconds` of footage are closed. */
async function footage(seconds: number): Promise<{ fromUs: number; toUs: number }> {
  return eventually(
    async () => {
      const [r] = await demo.query<{ from_us: string; to_us: string }>(`SELECT min(start_us) AS from_us, max(end_us) AS to_us FROM segments WHERE camera_id = $1 AND state = 'closed'`, [demo.cameraId]);
      const span = r && r.from_us !== null ? { fromUs: Number(r.from_us), toUs: Number(r.to_us) } : undefined;
      return span && span.toUs - span.fromUs >= seconds * 1e6 && span;
    },
    120_000,
    `${seconds} s of closed footage`,
  );
}

/** The browser's local calendar day of a time (the events page filters by it). */
function localDayIn(page: Page, ms: number): Promise<string> {
  return page.evaluate(`new Date(${ms}).toLocaleDateString('sv')`) as Promise<string>;
}

/** Follows an export row to 100 % and downloads its file; the saved path. */
async function downloadWhenDone(page: Page, exportId: string): Promise<string> {
  const row = page.locator(`tr[data-export="${exportId}"]`);
  await eventually(async () => (await row.getAttribute('data-state')) === 'completed', 90_000, `export ${exportId} to complete`);
  assert.equal(await row.getByRole('progressbar').getAttribute('value'), '100');
  await row.getByText('100 % · done').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /^Download/ }).click()]);
  const path = join(downloads, `${exportId}.mp4`);
  await download.saveAs(path);
  return path;
}

test('events: the clip plays; protect; export it and follow it to a file that decodes', { timeout: 240_000 }, async () => {
  const span = await footage(16);
  const startUs = span.fromUs + 6e6;
  const [{ id: eventId }] = await demo.query<{ id: string }>(
    `INSERT INTO events (camera_id, kind, start_us, end_us, peak_score, pre_roll_us, post_roll_us) VALUES ($1, 'motion', $2, $3, 2.5, 2000000, 2000000) RETURNING id`,
    [demo.cameraId, startUs, startUs + 4e6],
  );
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/`);
  const day = await localDayIn(page, startUs / 1000);
  await page.goto(`${demo.url}/#/events?camera=${demo.cameraId}&day=${day}`);
  await signIn(page, demo.token);
  const item = page.locator(`li.event[data-event="${eventId}"]`);
  await item.getByText('4 s · score 2.5').waitFor();
  await eventually(async () => (await page.evaluate(`document.querySelector('li.event[data-event="${eventId}"] img')?.naturalWidth`)) === 320, 30_000, 'the thumbnail');
  await screenshots(page, 'events');

  await item.getByRole('button', { name: /^Play the clip/ }).click();
  const clip = `document.querySelector('li.event[data-event="${eventId}"] video')`;
  await eventually(async () => ((await page.evaluate(`${clip}?.currentTime`)) as number) > 1, 60_000, 'the clip to play');
  // A streamed clip's duration grows as its fragments arrive; the whole clip is pre-roll + 4 s + post-roll from a keyframe.
  const shownFor = await eventually(async () => {
    const d = (await page.evaluate(`[${clip}.duration, ${clip}.buffered.length ? ${clip}.buffered.end(0) : 0]`)) as [number, number];
    return d[0] >= 7 && d;
  }, 30_000, 'the whole clip').catch(async (e: Error) => assert.fail(`${e.message}: ${JSON.stringify(await page.evaluate(`[${clip}.duration, ${clip}.buffered.length ? ${clip}.buffered.end(0) : 0, ${clip}.currentTime, ${clip}.ended]`))}`));
  assert.ok(shownFor[0] < 12, `the clip lasts ${shownFor[0]} s`);
  await screenshots(page, 'event-clip');

  await item.getByRole('button', { name: 'Protect' }).click();
  await item.getByRole('button', { name: 'Unprotect' }).waitFor();
  assert.deepEqual(await demo.query(`SELECT protected FROM events WHERE id = $1`, [eventId]), [{ protected: true }]);

  await item.getByRole('button', { name: 'Export' }).click();
  await item.getByRole('link', { name: 'follow it on the Exports page' }).click();
  const [{ id: exportId }] = await demo.query<{ id: string }>(`SELECT id FROM exports ORDER BY created_at DESC LIMIT 1`);
  const file = await downloadWhenDone(page, exportId);
  assert.equal(ffmpegDecodeErrors(file), '');
  const duration = ffprobeVideoDurationS(file);
  assert.ok(duration >= 7 && duration < 12, `the exported clip lasts ${duration} s`);
  await context.close();
});

test('exports: a 30 s range exported from the exports page reaches 100 %, downloads and decodes with ffprobe', { timeout: 240_000 }, async () => {
  const span = await footage(36);
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/exports`);
  await signIn(page, demo.token);
  const start = (await page.evaluate(`(() => { const d = new Date(${Math.ceil(span.fromUs / 1e6) * 1000 + 2000}); const p = (n) => String(n).padStart(2, '0'); return d.toLocaleDateString('sv') + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()); })()`)) as string;
  await page.getByLabel('Start').fill(start);
  await page.getByLabel('Length').selectOption('30');
  const before = new Set((await demo.query<{ id: string }>(`SELECT id FROM exports`)).map((r) => r.id));
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const exportId = await eventually(async () => (await demo.query<{ id: string }>(`SELECT id FROM exports`)).map((r) => r.id).find((id) => !before.has(id)), 10_000, 'the export row');
  const file = await downloadWhenDone(page, exportId);
  assert.ok(statSync(file).size > 100_000, 'a real file');
  assert.equal(ffmpegDecodeErrors(file), '');
  const duration = ffprobeVideoDurationS(file);
  assert.ok(duration >= 29.5 && duration < 36, `30 s from the keyframe at or before the start (${duration} s)`);
  await screenshots(page, 'exports');
  await context.close();
});

test('storage: the global retention form saves, and "Run now" reports what the sweep did', { timeout: 120_000 }, async () => {
  await footage(4);
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/storage`);
  await signIn(page, demo.token);
  const global = page.getByRole('form', { name: 'All cameras' });
  await global.getByLabel('Keep at most (days)').fill('30');
  await global.getByLabel('Use at most (GB)').fill('2.5');
  await global.getByRole('button', { name: 'Save' }).click();
  await global.getByRole('status').filter({ hasText: /^Saved at/ }).waitFor();
  const [policy] = await demo.query<{ max_age_us: string; max_bytes: string; min_free_bytes: string | null }>(`SELECT max_age_us, max_bytes, min_free_bytes FROM retention_policies WHERE camera_id IS NULL`);
  assert.deepEqual([Number(policy.max_age_us), Number(policy.max_bytes), policy.min_free_bytes], [30 * 86_400e6, 2.5e9, null]);

  await page.getByRole('button', { name: 'Run now' }).click();
  await page.locator('#retention-report').filter({ hasText: /^Done: / }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator('#retention-report').innerText(), /nothing was over the limits, nothing deleted/);
  // The table shows the demo camera's footage and its days kept under the 30-day limit at most.
  await page.getByRole('row', { name: /demo camera/ }).waitFor();
  await screenshots(page, 'storage');
  await context.close();
});
