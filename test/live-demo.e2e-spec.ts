// The README's live view, end to end in Debian's Chromium: `wyze-nvr demo` (emulated camera → recorder →
// API, one process) serves /live.html, whose address it prints; a person enters the token once, and the page plays the camera live
// through MSE — the picture advancing at the camera's width, the camera's audio decoded — no more than 1.5 s
// behind the emulator's newest frame after 20 s. Screenshots at desktop and phone size are written to
// $LIVE_SCREENSHOTS (default: the OS temp dir) to look at.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DESKTOP, launchChromium, pageWithToken, PHONE, playerState, type PlayerState } from './support/browser';
import { CliProcess, freePort } from './support/cli';
import { eventually, holdFor } from './support/eventually';

const dataDir = mkdtempSync(join(tmpdir(), 'wyze-live-demo-'));
const shots = process.env.LIVE_SCREENSHOTS ?? tmpdir();
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the demo camera plays live in Chromium, at most 1.5 s behind the emulator, on a desktop and a phone', { timeout: 180_000 }, async (t) => {
  const demo = new CliProcess(['demo'], { DATA_DIR: dataDir, API_PORT: String(await freePort()) });
  try {
    const [, url] = await demo.waitFor(/API:\s+(http:\/\/\S+)/, 60_000);
    const [, cameraId] = await demo.waitFor(/camera:\s+#(\d+)/);
    const [, liveUrl] = await demo.waitFor(/live:\s+(http:\/\/\S+)/);
    assert.equal(liveUrl, `${url}/live.html?camera=${cameraId}`, 'the banner names the live page');
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    browser = await launchChromium();

    // Desktop: the token entered once in the page's form.
    const desktop = await pageWithToken(browser, null, DESKTOP);
    const fail = (e: Error) => assert.fail(`${e.message}\nconsole:\n${desktop.console.join('\n')}\ndemo:\n${demo.output.slice(-3000)}`);
    await desktop.page.goto(liveUrl);
    await desktop.page.fill('#token', token);
    await desktop.page.click('button[type=submit]');
    const state = () => playerState(desktop.page);
    const started = await eventually(async () => {
      const s = await state();
      return s.state === 'playing' && s.currentTime > 0.5 && s;
    }, 60_000, 'the live view to play').catch(fail);
    const startedAt = Date.now();
    assert.ok(!desktop.page.url().includes(token), 'the token is not in the URL');

    await holdFor(20_000, startedAt);
    const samples: PlayerState[] = [];
    for (let i = 0; i < 10; i++) {
      samples.push(await state());
      await holdFor(300);
    }
    const last = samples[samples.length - 1];
    assert.ok(last.currentTime > started.currentTime + 15, `currentTime advanced from ${started.currentTime} to ${last.currentTime} in 20 s`);
    assert.deepEqual([last.videoWidth, last.videoHeight], [1280, 720], 'the camera’s size');
    assert.match(last.mime, /mp4a\.40\.2/, 'an audio track (the demo camera’s AAC)');
    assert.ok(last.audioBytes > 0, 'audio is decoded');
    // The emulator stamps each frame with the wall time it is due and sends it then, so "now" is the newest
    // frame's time at most (one frame interval later): the lag measured against it is an upper bound.
    const lags = samples.map((s) => s.now - s.pictureTimeMs!);
    t.diagnostic(`picture behind the emulator's newest frame after 20 s: ${lags.map((l) => (l / 1000).toFixed(2)).join(' ')} s; buffered ahead ${samples.map((s) => s.aheadS.toFixed(2)).join(' ')} s`);
    assert.ok(Math.max(...lags) <= 1500, `at most 1.5 s behind (${Math.max(...lags)} ms)`);
    await desktop.page.screenshot({ path: join(shots, 'wyze-nvr-live-desktop.png') });

    // Phone: the same page in a phone-sized window (the token already in the tab).
    const phone = await pageWithToken(browser, token, PHONE);
    await phone.page.goto(`${url}/live.html?camera=${cameraId}`);
    const onPhone = await eventually(async () => {
      const s = await playerState(phone.page);
      return s.state === 'playing' && s.currentTime > 1 && s;
    }, 60_000, 'the phone view to play').catch(fail);
    assert.equal(onPhone.videoWidth, 1280);
    const box = await phone.page.locator('#video').boundingBox();
    assert.ok(box && box.width <= PHONE.width && box.width >= PHONE.width - 40, `the video fills the phone's width (${box?.width} of ${PHONE.width})`);
    await phone.page.screenshot({ path: join(shots, 'wyze-nvr-live-phone.png') });
    await phone.context.close();
    await desktop.context.close();
  } finally {
    assert.equal(await demo.stop('SIGTERM'), 0, `demo exits cleanly on SIGTERM\n${demo.output.slice(-2000)}`);
  }
});
