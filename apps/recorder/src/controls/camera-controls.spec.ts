import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import { inProcessCamera } from '@wyze-nvr/tutk/testing/in-process-camera';
import { InternalError } from '../internal/internal-error';
import { syncCameraClock } from './camera-clock-sync';
import { CameraControls } from './camera-controls';

const logger = createLogger({ level: 'error' });

function controls(model: string, o: Parameters<typeof inProcessCamera>[1] = {}, connected = true) {
  const camera = inProcessCamera(model, o);
  const c = new CameraControls({ cameraId: 7, model, session: () => (connected ? camera : { state: 'backoff', reason: 'no answer from 10.0.0.9' }), nowMs: () => Date.now(), logger });
  return { camera, c };
}

async function refusal(p: Promise<unknown>): Promise<InternalError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InternalError, String(e));
    return e;
  }
  assert.fail('expected a refusal');
}

describe('CameraControls (on the recorder’s session)', () => {
  test('lists what a pan camera has, with the values it reads now', async () => {
    const { camera, c } = controls('HL_PAN3');
    camera.controls.nightVision = 2;
    const view = await c.list();
    assert.deepEqual(
      view.controls.map((x) => x.name),
      ['status-light', 'night-vision', 'ir-led', 'siren', 'camera-time', 'time-zone', 'video', 'ptz', 'pan-scan', 'cruise-points', 'motion-tracking'],
    );
    const byName = Object.fromEntries(view.controls.map((x) => [x.name, x]));
    assert.equal(byName['night-vision'].value, 'off');
    assert.deepEqual(byName['night-vision'].options, ['on', 'off', 'auto']);
    assert.deepEqual(byName['night-vision'].commands, [10040, 10042]);
    assert.equal(byName.ptz.readable, false);
    assert.equal(byName.ptz.value, null);
    assert.ok(Math.abs(Date.parse(byName['camera-time'].value as string) - Date.now()) < 2000);
    assert.deepEqual([view.cameraId, view.model], [7, 'HL_PAN3']);
  });

  test('a change is sent and acknowledged; PTZ moves the camera', async () => {
    const { camera, c } = controls('WYZECP1_JEF');
    assert.deepEqual(await c.set('night-vision', 'auto'), { name: 'night-vision', value: 'auto' });
    assert.equal(camera.controls.nightVision, 3);
    await c.set('ptz', { action: 'goto', horizontal: 10, vertical: 5 });
    assert.deepEqual(camera.controls.position, { horizontal: 10, vertical: 5 });
  });

  test('refusals before anything is sent: 404 unknown name, 422 not on this model or read-only, 400 a bad value', async () => {
    const { camera, c } = controls('HL_CAM4');
    const cases: [string, unknown, number, string][] = [
      ['zoom', 1, 404, 'control-not-found'],
      ['ptz', { action: 'step', direction: 'left' }, 422, 'control-not-supported'],
      ['floodlight', true, 422, 'control-not-supported'],
      ['video', 1, 422, 'control-read-only'],
      ['night-vision', 'dim', 400, 'validation-failed'],
    ];
    for (const [name, value, status, code] of cases) {
      const e = await refusal(c.set(name, value));
      assert.deepEqual([e.statusCode, e.code], [status, code], name);
    }
    const bad = await refusal(c.set('time-zone', 20));
    assert.deepEqual(bad.details.errors, [{ field: 'value', reason: 'must be an integer -11..13 (hours from UTC)' }]);
    assert.equal(camera.counters.ioctrlRequests, 0, 'the camera received nothing');
  });

  test('503 with the state and reason when the camera is not connected; 504 when it does not answer', async () => {
    const off = await refusal(controls('HL_CAM4', {}, false).c.set('siren', true));
    assert.deepEqual([off.statusCode, off.code, off.details], [503, 'camera-not-recording', { state: 'backoff', reason: 'no answer from 10.0.0.9' }]);
    const offList = await refusal(controls('HL_CAM4', {}, false).c.list());
    assert.equal(offList.statusCode, 503);
    // A v3 without the spotlight accessory: offered for the model, silent on the camera.
    const silent = await refusal(controls('WYZE_CAKP2JFUS').c.set('spotlight', true));
    assert.deepEqual([silent.statusCode, silent.code], [504, 'camera-no-answer']);
    const view = await controls('WYZE_CAKP2JFUS').c.list();
    assert.deepEqual(view.controls.find((x) => x.name === 'spotlight'), { name: 'spotlight', kind: 'switch', readable: true, writable: true, accessory: true, value: null, error: 'the camera did not answer', commands: [10640, 10646] });
  });

  test('a session that ends while a command waits: 503, not a crash', async () => {
    const ended = { command: async () => Promise.reject(new Error('camera-lost: nothing from the camera for 10000 ms')) };
    const c = new CameraControls({ cameraId: 7, model: 'HL_CAM4', session: () => ended, nowMs: () => Date.now(), logger });
    for (const p of [c.list(), c.set('siren', true)]) {
      const e = await refusal(p);
      assert.deepEqual([e.statusCode, e.code], [503, 'camera-not-recording']);
      assert.match(e.message, /camera-lost/);
    }
  });

  test('the floodlight cannot be read back: it lists the value last set here', async () => {
    const { camera, c } = controls('HL_CFL2');
    assert.equal((await c.list()).controls.find((x) => x.name === 'floodlight')?.value, null);
    await c.set('floodlight', true);
    assert.equal(camera.controls.floodlight, 1);
    assert.equal((await c.list()).controls.find((x) => x.name === 'floodlight')?.value, true);
  });
});

describe('camera clock sync', () => {
  test('an hour ahead: corrected to host time, the offset reported', async () => {
    const camera = inProcessCamera('HL_CAM4', { clockOffsetMs: 3_600_000 });
    const r = await syncCameraClock(camera, 5, () => Date.now());
    assert.equal(r.outcome, 'corrected');
    assert.ok(r.outcome === 'corrected' && Math.abs(r.offsetSeconds - 3600) <= 1, JSON.stringify(r));
    assert.ok(Math.abs(camera.clock.offsetMs) < 1000, `camera clock now ${camera.clock.offsetMs} ms off`);
  });

  test('within the threshold: left alone; no answer: said so', async () => {
    const camera = inProcessCamera('HL_CAM4', { clockOffsetMs: -3000 });
    const r = await syncCameraClock(camera, 5, () => Date.now());
    assert.equal(r.outcome, 'in-sync');
    assert.equal(camera.clock.offsetMs, -3000);
    assert.deepEqual(await syncCameraClock({ command: async () => undefined }, 5, () => Date.now()), { outcome: 'no-answer', step: 'read' });
  });
});
