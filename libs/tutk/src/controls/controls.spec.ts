import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROL_SPECS } from './control-specs';
import { checkCameraTime, checkCruisePoints, checkNightVision, checkPtzMove, checkSwitch, checkTimeZone } from './control-values';
import { CONTROL_NAMES, controlsOf, isControlName, isPanModel, MODEL_CONTROLS } from './model-capabilities';

const reason = (c: { ok: boolean; reason?: string }) => (c.ok ? 'ok' : c.reason);

describe('model capabilities (device_config.json, api_models.py)', () => {
  test('pan and tilt on the four pan models only (api_models.py PAN_CAMS)', () => {
    const pans = Object.keys(MODEL_CONTROLS).filter(isPanModel);
    assert.deepEqual(pans.sort(), ['HL_PAN2', 'HL_PAN3', 'HL_PANP', 'WYZECP1_JEF']);
    for (const m of pans) for (const c of ['ptz', 'pan-scan', 'cruise-points', 'motion-tracking'] as const) assert.ok(controlsOf(m).includes(c), `${m} ${c}`);
  });

  test('every camera has the "default" commands; IR light per model; floodlight on HL_CFL2; spotlight on the v3 and v4', () => {
    for (const m of [...Object.keys(MODEL_CONTROLS), 'SOMETHING_NEW']) {
      for (const c of ['status-light', 'night-vision', 'camera-time', 'time-zone', 'video'] as const) assert.ok(controlsOf(m).includes(c), `${m} ${c}`);
    }
    assert.deepEqual(controlsOf('SOMETHING_NEW'), ['status-light', 'night-vision', 'camera-time', 'time-zone', 'video']);
    assert.ok(!controlsOf('WYZEC1').includes('ir-led'));
    assert.ok(controlsOf('WYZEC1-JZ').includes('ir-led'));
    assert.deepEqual(Object.keys(MODEL_CONTROLS).filter((m) => controlsOf(m).includes('floodlight')), ['HL_CFL2']);
    assert.deepEqual(Object.keys(MODEL_CONTROLS).filter((m) => controlsOf(m).includes('spotlight')).sort(), ['HL_CAM4', 'WYZE_CAKP2JFUS']);
    assert.ok(!controlsOf('HL_CAM4').includes('ptz'));
  });

  test('every name has a spec, in the order of CONTROL_NAMES, and controls are listed in that order', () => {
    assert.deepEqual(Object.keys(CONTROL_SPECS), [...CONTROL_NAMES]);
    assert.ok(isControlName('night-vision') && !isControlName('nightVision'));
    const pan = controlsOf('HL_PAN3');
    assert.deepEqual(pan, CONTROL_NAMES.filter((n) => pan.includes(n)));
  });
});

describe('control values: what a PUT may carry, and why not', () => {
  test('switches, night vision, time zone', () => {
    assert.equal(reason(checkSwitch(true)), 'ok');
    assert.equal(reason(checkSwitch('on')), 'must be true or false');
    assert.equal(reason(checkNightVision('auto')), 'ok');
    assert.equal(reason(checkNightVision(3)), 'must be one of on, off, auto');
    assert.equal(reason(checkTimeZone(-11)), 'ok');
    assert.equal(reason(checkTimeZone(13.5)), 'must be an integer -11..13 (hours from UTC)');
  });

  test('camera time: "now" or an ISO UTC time, kept as whole seconds', () => {
    assert.deepEqual(checkCameraTime('now'), { ok: true, value: 'now' });
    assert.deepEqual(checkCameraTime('2026-03-01T12:00:00.900Z'), { ok: true, value: Date.parse('2026-03-01T12:00:00Z') / 1000 });
    assert.equal(reason(checkCameraTime('2026-03-01 12:00')), 'must be "now" or an ISO 8601 UTC time ending in Z');
    assert.equal(reason(checkCameraTime('2026-02-30T00:00:00Z')), 'is not a real date and time');
    assert.equal(reason(checkCameraTime('2200-01-01T00:00:00Z')), 'must be between 1970 and 2106 (u32 Unix seconds)');
  });

  test('PTZ moves', () => {
    assert.deepEqual(checkPtzMove({ action: 'step', direction: 'up' }), { ok: true, value: { action: 'step', direction: 'up', speed: undefined } });
    assert.equal(reason(checkPtzMove({ action: 'step', direction: 'north' })), 'direction must be one of left, right, up, down');
    assert.equal(reason(checkPtzMove({ action: 'step', direction: 'up', speed: 10 })), 'speed must be an integer 1..9');
    assert.equal(reason(checkPtzMove({ action: 'rotate', horizontal: 400, vertical: 0 })), 'horizontal must be an integer -360..360 and vertical -180..180 (degrees, right and up positive)');
    assert.equal(reason(checkPtzMove({ action: 'goto', horizontal: 351, vertical: 0 })), 'horizontal must be an integer 0..350 and vertical 0..40 (degrees)');
    assert.equal(reason(checkPtzMove({ action: 'goto', horizontal: 1, vertical: 1, speed: 3 })), 'unknown field speed');
    assert.equal(reason(checkPtzMove({ action: 'zoom' })), 'action must be step, rotate or goto');
    assert.equal(reason(checkPtzMove('left')), 'must be an object with an action: step, rotate or goto');
  });

  test('cruise points: 1..16, one byte of horizontal each, wait 10..255 (default 10)', () => {
    assert.deepEqual(checkCruisePoints([{ horizontal: 1, vertical: 2 }]), { ok: true, value: [{ horizontal: 1, vertical: 2, waitSeconds: 10 }] });
    assert.equal(reason(checkCruisePoints([])), 'must be a list of 1..16 points');
    assert.equal(reason(checkCruisePoints([{ horizontal: 300, vertical: 0 }])), 'point 0: horizontal must be an integer 0..255, vertical 0..40, waitSeconds 10..255');
    assert.equal(reason(checkCruisePoints([{ horizontal: 3, vertical: 0, wait: 3 }])), 'point 0: unknown field wait');
  });

  test('video is read-only, and has no write', () => {
    assert.equal(reason(CONTROL_SPECS.video.check(1)), 'is read-only');
    assert.equal(CONTROL_SPECS.video.write, undefined);
    assert.equal(CONTROL_SPECS.floodlight.read, undefined, 'wyzecam knows no read for the floodlight');
  });
});
