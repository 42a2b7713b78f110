// The live page's controls panel in Debian's Chromium, driven with the keyboard only, against an emulated
// pan camera (in this process, so its state is readable) → `wyze-nvr record` → the API serving the web app.
// Screenshots at desktop and phone width go to test-output/web (controls-*.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startCameraSim, type CameraSim } from '@wyze-nvr/camera-sim';
import { PTZ_STEP_DEGREES } from '@wyze-nvr/tutk';
import type { TestApi } from './support/api';
import { launchChromium } from './support/browser';
import type { CliProcess } from './support/cli';
import { eventually } from './support/eventually';
import { migratedDatabase, type MigratedDatabase } from './support/recorder-harness';
import { insertTestCamera, startRecorderAndApi } from './support/recorder-api';
import { ensureWebBuilt, openApp, screenshots, signIn } from './support/web-app';

let db: MigratedDatabase;
let dataDir: string;
let sim: CameraSim;
let recorder: { proc: CliProcess; metricsUrl: string };
let api: TestApi;
let browser: Browser;
let cameraId: number;

before(async () => {
  ensureWebBuilt();
  db = await migratedDatabase('wyze_nvr_webctl');
  dataDir = mkdtempSync(join(tmpdir(), 'nvr-webctl-'));
  sim = await startCameraSim({ port: 0, host: '127.0.0.1', speed: 1, model: 'HL_PAN3' });
  cameraId = await insertTestCamera(db, 'porch pan', sim.port, sim.credentials);
  ({ recorder, api } = await startRecorderAndApi(db, dataDir));
  await eventually(async () => (await api.json<{ status: { state: string } }>('GET', `/cameras/${cameraId}`)).body.status.state === 'recording', 60_000, 'the camera recording');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await api?.close().catch(() => undefined);
  await recorder?.proc.stop('SIGTERM');
  sim?.close();
  await db?.ds.destroy().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

test('the controls panel: what a pan camera has, changed from the keyboard (select, checkbox, PTZ arrows)', { timeout: 120_000 }, async () => {
  const { page, console } = await openApp(browser);
  try {
    await page.goto(`${api.url}/#/cameras/${cameraId}/live`);
    await signIn(page, api.token);
    const panel = page.getByRole('region', { name: 'Controls' });
    const nightVision = panel.getByLabel('Night vision');
    await eventually(async () => (await nightVision.inputValue()) === 'auto', 20_000, 'night vision read from the camera');
    for (const name of ['Status light', 'IR lights', 'Siren', 'Pan scan', 'Motion tracking']) assert.equal(await panel.getByRole('checkbox', { name }).count(), 1, name);
    assert.equal(await panel.getByRole('checkbox', { name: /Floodlight|Spotlight/ }).count(), 0, 'not on this model');

    // A select from the keyboard: focus it and pick with the arrow keys (on, off, auto: up from auto is off).
    await nightVision.focus();
    await page.keyboard.press('ArrowUp');
    await eventually(() => sim.device.controls.nightVision === 2, 10_000, 'night vision off in the camera');
    await panel.getByText('Night vision: done').waitFor();

    // A checkbox: Space toggles it.
    await panel.getByRole('checkbox', { name: 'Status light' }).focus();
    await page.keyboard.press('Space');
    await eventually(() => sim.device.controls.statusLight === 2, 10_000, 'status light off in the camera');
    assert.equal(await panel.getByRole('checkbox', { name: 'Status light' }).isChecked(), false);

    // PTZ: Tab onto the pad and step with the arrow keys, or Enter on a button.
    const start = { ...sim.device.controls.position };
    await panel.getByRole('button', { name: 'Pan left' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => sim.device.controls.position.horizontal === start.horizontal - PTZ_STEP_DEGREES.horizontal, 10_000, 'one step left');
    await panel.getByText('Pan and tilt: done').waitFor();
    await page.keyboard.press('ArrowUp');
    await eventually(() => sim.device.controls.position.vertical === start.vertical + PTZ_STEP_DEGREES.vertical, 10_000, 'one step up from the arrow key');
    await screenshots(page, 'controls');
    assert.deepEqual(console.filter((l) => l.startsWith('pageerror')), []);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nbrowser console:\n${console.join('\n')}`, { cause: e });
  } finally {
    await page.context().close();
  }
});
