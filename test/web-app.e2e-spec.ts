// The web app, end to end in Debian's Chromium against `wyze-nvr demo`: signing in (a wrong token says so),
// the live grid with the demo camera recording and its picture, the live view, the cameras page (add by
// hand with a write-only key, disable, delete), and a session that ends under a half-filled form: the
// sign-in comes back over the page, and after signing in the page and what was typed are as they were.
// Screenshots at desktop and phone width go to test-output/web (WEB_SCREENSHOTS).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { openApp, screenshots, signIn, startWebDemo, type WebDemo } from './support/web-app';

let demo: WebDemo;
let browser: Browser;

before(async () => {
  demo = await startWebDemo();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

test('a wrong token is refused by the form; the right one opens the grid, with the demo camera recording and its picture', { timeout: 120_000 }, async () => {
  const { page, context, console } = await openApp(browser);
  await page.goto(`${demo.url}/`);
  await page.getByLabel('API token').fill('not-the-token-0000000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not the API token' }).waitFor();
  await screenshots(page, 'sign-in-wrong-token');

  await signIn(page, demo.token);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'wyze_nvr_session');
  assert.ok(session?.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.ok(!(await page.evaluate('document.cookie') as string).includes('wyze_nvr_session'), 'no script can read the session cookie');

  const tile = page.locator(`li.tile[data-camera="${demo.cameraId}"]`);
  await eventually(async () => (await tile.getAttribute('data-state')) === 'recording', 60_000, 'the camera tile to say recording').catch((e: Error) => assert.fail(`${e.message}\n${console.join('\n')}`));
  await tile.getByText('recording', { exact: true }).waitFor();
  // The picture is the recorder's newest keyframe: loaded, and the camera's 16:9 frame.
  await tile.getByRole('img', { name: /Newest picture of demo camera/ }).waitFor();
  const width = `document.querySelector('li.tile[data-camera="${demo.cameraId}"] img')?.naturalWidth`;
  await eventually(async () => (await page.evaluate(width)) === 640, 60_000, 'the snapshot to load at 640 px');
  await screenshots(page, 'grid');
  await context.close();
});

test('a tile opens the live view, which plays through the session cookie', { timeout: 120_000 }, async () => {
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/`);
  await signIn(page, demo.token);
  await page.getByRole('link', { name: 'demo camera (emulated): watch live' }).click();
  assert.match(page.url(), new RegExp(`#/cameras/${demo.cameraId}/live$`));
  await eventually(
    async () => {
      const s = (await page.evaluate(`(() => ({ state: globalThis.livePlayer?.stats.state, t: document.querySelector('video').currentTime }))()`)) as { state: string; t: number };
      return s.state === 'playing' && s.t > 1;
    },
    60_000,
    'the live view to play',
  );
  await page.getByText(/^live · /).waitFor();
  await screenshots(page, 'live');
  await context.close();
});

test('cameras page: add a camera by hand (the key is never shown again), disable it, delete it after confirming', { timeout: 120_000 }, async () => {
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/cameras`);
  await signIn(page, demo.token);
  const enr = 'MySecretCameraKey1234';
  await page.getByLabel('Name').fill('Garage');
  await page.getByLabel('IP address').fill('192.168.1.77');
  await page.getByLabel('UID').fill('ABCDEFGHJKLMNPRSTUV1');
  await page.getByLabel('Camera key (ENR)').fill(enr);
  await page.getByLabel('MAC address').fill('2C:AA:8E:12:34:56');
  await page.getByRole('button', { name: 'Add camera' }).click();
  await page.getByRole('status').filter({ hasText: 'Garage added' }).waitFor();
  assert.equal(await page.getByLabel('Camera key (ENR)').inputValue(), '', 'the form forgot the key');
  const row = page.locator('li.camera-row').filter({ hasText: 'Garage' });
  await row.getByText('stored, encrypted').waitFor();
  assert.ok(!(await page.content()).includes(enr), 'the key is nowhere on the page');
  await screenshots(page, 'cameras');

  await row.getByRole('button', { name: 'Disable Garage' }).click();
  await row.getByRole('button', { name: 'Enable Garage' }).waitFor();
  await row.getByRole('button', { name: 'Delete Garage' }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await demo.query(`SELECT 1 FROM cameras WHERE name = 'Garage'`)).length, 0);
  await context.close();
});

test('a session that ends under a half-filled form: sign in again, and the page and what was typed are still there', { timeout: 120_000 }, async () => {
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/cameras`);
  await signIn(page, demo.token);
  await page.getByLabel('Name').fill('Back door');
  await page.getByLabel('UID').fill('ZYXWVUTSRQPNMLKJHGF9');
  await page.getByLabel('MAC address').fill('2C:AA:8E:65:43:21');
  await page.getByLabel('Camera key (ENR)').fill('AnotherSecretKey999');

  // Time passes: every session on the server has run out (as API_SESSION_IDLE_SECONDS would make it).
  await demo.query(`UPDATE sessions SET expires_us = 0`);
  await page.getByRole('button', { name: 'Add camera' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
  await dialog.waitFor();
  assert.match(page.url(), /#\/cameras$/, 'the route is kept');
  await screenshots(page, 'session-ended', { fullPage: false });

  await dialog.getByLabel('API token').fill(demo.token);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The save that met the expired session went through after signing in again.
  await page.getByRole('status').filter({ hasText: 'Back door added' }).waitFor();
  assert.equal((await demo.query(`SELECT 1 FROM cameras WHERE uid = 'ZYXWVUTSRQPNMLKJHGF9'`)).length, 1);
  await context.close();
});
