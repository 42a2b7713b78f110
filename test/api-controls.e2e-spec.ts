// Camera controls through the API against emulated cameras: camera-sim (in this process, so its state is
// readable) → `wyze-nvr record` (a child; controls travel on its recording session) → the API (same database
// and SECRET_KEY). Each control changes the emulator's state and reads back; PTZ moves a pan camera; a
// camera without a control refuses with 422 and the emulator receives nothing; clock sync corrects a camera
// an hour ahead, after which the recording's frame times follow the host clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraSim, type CameraSim } from '@wyze-nvr/camera-sim';
import { PTZ_STEP_DEGREES } from '@wyze-nvr/tutk';
import type { TestApi } from './support/api';
import type { CliProcess } from './support/cli';
import { eventually } from './support/eventually';
import { metrics, metricSum, migratedDatabase, type MigratedDatabase } from './support/recorder-harness';
import { insertTestCamera, startRecorderAndApi } from './support/recorder-api';

let db: MigratedDatabase;
let dataDir: string;
let recorder: { proc: CliProcess; metricsUrl: string };
let api: TestApi;
/** A pan camera whose clock starts an hour ahead. */
let pan: { sim: CameraSim; id: number };
/** A Cam v3 with the spotlight accessory: no PTZ, no floodlight. */
let v3: { sim: CameraSim; id: number };
let flood: { sim: CameraSim; id: number };
let offline: number;

interface Control {
  name: string;
  value: unknown;
  readable: boolean;
  error?: string;
}

async function camera(name: string, model: string, accessories: 'spotlight'[] = []) {
  const sim = await startCameraSim({ port: 0, host: '127.0.0.1', speed: 1, model, accessories });
  return { sim, id: await insertTestCamera(db, name, sim.port, sim.credentials) };
}

const controlsOf = async (id: number) => {
  const r = await api.json<{ model: string; controls: Control[] }>('GET', `/cameras/${id}/controls`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const valueOf = async (id: number, name: string) => (await controlsOf(id)).controls.find((c) => c.name === name)?.value;
const put = (id: number, name: string, value: unknown) => api.json<{ code?: string; message?: string; errors?: { reason: string }[] }>('PUT', `/cameras/${id}/controls/${name}`, { value });

before(async () => {
  db = await migratedDatabase('wyze_nvr_controls');
  dataDir = mkdtempSync(join(tmpdir(), 'nvr-controls-'));
  pan = await camera('pan', 'HL_PAN3');
  pan.sim.jumpClock(3600);
  v3 = await camera('v3', 'WYZE_CAKP2JFUS', ['spotlight']);
  flood = await camera('floodlight', 'HL_CFL2');
  offline = await insertTestCamera(db, 'offline', 9, { uid: 'CTRLTEST000000000009', enr: 'unused-enr-0000', mac: 'AABBCC000090', model: 'HL_PAN3' });
  ({ recorder, api } = await startRecorderAndApi(db, dataDir, { LOG_LEVEL: 'info' }));
  for (const c of [pan, v3, flood]) {
    await eventually(async () => {
      const r = await api.json<{ status: { state: string; source: string } }>('GET', `/cameras/${c.id}`);
      return r.body.status.source === 'recorder' && r.body.status.state === 'recording';
    }, 60_000, `camera ${c.id} recording`).catch((e: Error) => assert.fail(`${e.message}\n${recorder.proc.output.slice(-3000)}`));
  }
});

after(async () => {
  await api?.close().catch(() => undefined);
  await recorder?.proc.stop('SIGTERM');
  for (const c of [pan, v3, flood]) c?.sim.close();
  await db?.ds.destroy().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('clock sync on connect', () => {
  test('a camera an hour ahead is set to host time, the correction is counted and logged, and frame times follow the host clock', { timeout: 60_000 }, async () => {
    await eventually(async () => metricSum(await metrics(recorder.metricsUrl), 'wyze_nvr_camera_clock_corrections_total', { camera: String(pan.id) }) === 1, 20_000, 'one clock correction');
    assert.ok(Math.abs(pan.sim.device.clockNowMs() - Date.now()) < 2000, `the emulator's clock is ${pan.sim.device.clockNowMs() - Date.now()} ms off`);
    const m = await metrics(recorder.metricsUrl);
    const offset = metricSum(m, 'wyze_nvr_camera_clock_offset_seconds', { camera: String(pan.id) });
    assert.ok(Math.abs(offset - 3600) <= 1.5, `offset found ${offset} s`);
    assert.equal(metricSum(m, 'wyze_nvr_camera_clock_corrections_total', { camera: String(v3.id) }), 0, 'a camera with a right clock is left alone');
    assert.match(recorder.proc.output, /camera clock was (3599|360\d)(\.\d)? s ahead: set to host time \(K10092\)/);
    // After the correction the recorder trusts camera time again, and it is the host's.
    await eventually(async () => metricSum(await metrics(recorder.metricsUrl), 'wyze_nvr_camera_clock_mode', { camera: String(pan.id), mode: 'camera' }) === 1, 10_000, 'camera time trusted again');
    const before = Date.now();
    const last = metricSum(await metrics(recorder.metricsUrl), 'wyze_nvr_camera_last_frame_timestamp_seconds', { camera: String(pan.id) }) * 1000;
    assert.ok(last <= Date.now() + 1000 && last >= before - 1000, `newest frame at ${new Date(last).toISOString()}, host ${new Date(before).toISOString()}`);
    assert.ok(Math.abs(Date.parse((await valueOf(pan.id, 'camera-time')) as string) - Date.now()) < 2500, 'K10090 read back through the API');
  });
});

describe('PUT /cameras/:id/controls/:name changes the camera, GET reads it back', () => {
  test('every switch and select of a pan camera', { timeout: 60_000 }, async () => {
    const c = pan.sim.device.controls;
    for (const [name, value, state] of [
      ['status-light', false, () => c.statusLight === 2],
      ['night-vision', 'off', () => c.nightVision === 2],
      ['night-vision', 'auto', () => c.nightVision === 3],
      ['ir-led', false, () => c.irLed === 2],
      ['siren', true, () => c.siren === 1],
      ['siren', false, () => c.siren === 2],
      ['time-zone', -5, () => c.timeZone === -5],
      ['pan-scan', true, () => c.panScan === 1],
      ['motion-tracking', true, () => c.motionTracking === 1],
    ] as const) {
      const r = await put(pan.id, name, value);
      assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, { name, value });
      assert.ok(state(), `${name} = ${JSON.stringify(value)} in the emulator`);
      assert.deepEqual(await valueOf(pan.id, name), value, `${name} read back`);
    }
    const points = [
      { horizontal: 30, vertical: 10, waitSeconds: 10 },
      { horizontal: 200, vertical: 35, waitSeconds: 45 },
    ];
    assert.equal((await put(pan.id, 'cruise-points', points)).status, 200);
    assert.deepEqual(c.cruisePoints.map((p) => [p.horizontal, p.vertical, p.waitSeconds]), [[30, 10, 10], [200, 35, 45]]);
    assert.deepEqual(await valueOf(pan.id, 'cruise-points'), points);
    const video = (await valueOf(pan.id, 'video')) as { bitrateKBps: number; fps: number };
    assert.deepEqual([video.bitrateKBps, video.fps], [240, 20]);
  });

  test('PTZ moves the pan camera: a step, a turn by degrees, a go-to', { timeout: 30_000 }, async () => {
    const pos = pan.sim.device.controls.position;
    await put(pan.id, 'ptz', { action: 'goto', horizontal: 100, vertical: 20 });
    assert.deepEqual(pos, { horizontal: 100, vertical: 20 });
    assert.equal((await put(pan.id, 'ptz', { action: 'step', direction: 'right' })).status, 200);
    assert.deepEqual(pos, { horizontal: 100 + PTZ_STEP_DEGREES.horizontal, vertical: 20 });
    assert.equal((await put(pan.id, 'ptz', { action: 'rotate', horizontal: -50, vertical: 10 })).status, 200);
    await eventually(() => pos.horizontal === 100 + PTZ_STEP_DEGREES.horizontal - 50, 5000, 'the turn (K11000 is not acknowledged)');
    assert.equal(pos.vertical, 30);
  });

  test('the spotlight of a v3 with the accessory, the floodlight of a Floodlight v2 (last value set, it cannot be read)', { timeout: 30_000 }, async () => {
    assert.equal((await put(v3.id, 'spotlight', true)).status, 200);
    assert.equal(v3.sim.device.controls.spotlight, 1);
    assert.equal(await valueOf(v3.id, 'spotlight'), true);
    const before = (await controlsOf(flood.id)).controls.find((c) => c.name === 'floodlight')!;
    assert.deepEqual([before.readable, before.value], [false, null]);
    assert.equal((await put(flood.id, 'floodlight', true)).status, 200);
    assert.equal(flood.sim.device.controls.floodlight, 1);
    assert.equal(await valueOf(flood.id, 'floodlight'), true);
  });
});

describe('refusals', () => {
  test('a camera without PTZ or a floodlight: 422, and the emulator receives nothing', { timeout: 30_000 }, async () => {
    const names = (await controlsOf(v3.id)).controls.map((c) => c.name);
    assert.ok(!names.includes('ptz') && !names.includes('floodlight') && names.includes('spotlight'), names.join());
    const received = v3.sim.device.stats.ioctrlRequests;
    for (const [name, value] of [
      ['ptz', { action: 'step', direction: 'left' }],
      ['floodlight', true],
      ['motion-tracking', true],
    ] as const) {
      const r = await put(v3.id, name, value);
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.code, 'control-not-supported');
    }
    assert.equal(v3.sim.device.stats.ioctrlRequests, received, 'no K-command reached the camera');
    assert.equal(v3.sim.device.controls.ptzMoves, 0);
  });

  test('400 with why for a bad value, 404 for an unknown control or camera, 503 with the reason for a camera that is not connected', { timeout: 30_000 }, async () => {
    const received = pan.sim.device.stats.ioctrlRequests;
    const bad = await put(pan.id, 'night-vision', 'dim');
    assert.deepEqual([bad.status, bad.body.code, bad.body.errors?.[0].reason], [400, 'validation-failed', 'must be one of on, off, auto']);
    const far = await put(pan.id, 'ptz', { action: 'goto', horizontal: 400, vertical: 0 });
    assert.equal(far.status, 400);
    assert.match(far.body.message ?? '', /horizontal must be an integer 0\.\.350/);
    assert.equal((await api.json('PUT', `/cameras/${pan.id}/controls/night-vision`, {})).status, 400, 'no value');
    assert.equal((await put(pan.id, 'zoom', 2)).body.code, 'control-not-found');
    assert.equal((await put(999_999, 'siren', true)).body.code, 'camera-not-found');
    assert.equal(pan.sim.device.stats.ioctrlRequests, received, 'nothing sent for a refused request');
    const off = await api.json<{ code: string; state: string; reason: string }>('GET', `/cameras/${offline}/controls`);
    assert.equal(off.status, 503);
    assert.equal(off.body.code, 'camera-not-recording');
    assert.ok(off.body.state && off.body.reason, JSON.stringify(off.body));
  });

  test('on a browser session, a change needs the CSRF token like every other write', { timeout: 30_000 }, async () => {
    const signIn = await api.request('POST', '/auth/session', { token: null, body: { token: api.token } });
    const cookie = /^(wyze_nvr_session=[A-Za-z0-9_-]{43});/.exec(signIn.headers.get('set-cookie') ?? '')![1];
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const without = await api.request('PUT', `/cameras/${pan.id}/controls/status-light`, { token: null, body: { value: true }, headers: { cookie } });
    assert.equal(without.status, 403);
    assert.equal(pan.sim.device.controls.statusLight, 2, 'unchanged');
    const withToken = await api.request('PUT', `/cameras/${pan.id}/controls/status-light`, { token: null, body: { value: true }, headers: { cookie, 'x-csrf-token': csrfToken } });
    assert.equal(withToken.status, 200, await withToken.text());
    assert.equal(pan.sim.device.controls.statusLight, 1);
  });
});
