import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTROL_SPECS } from '../controls/control-specs';
import { CONTROL_NAMES, controlsOf, type ControlName } from '../controls/model-capabilities';
import { inProcessCamera } from '../testing/in-process-camera';
import { PTZ_STEP_DEGREES } from './control-state';

/** A camera of `model` answering through the real handler table, its clock an hour ahead. */
function camera(model: string, accessories: ControlName[] = []) {
  const c = inProcessCamera(model, { accessories, clockOffsetMs: 3_600_000 });
  const write = (name: ControlName, value: unknown) => {
    const spec = CONTROL_SPECS[name];
    const checked = spec.check(value);
    assert.ok(checked.ok, `${name} ${JSON.stringify(value)}`);
    return c.ask(spec.write!(checked.value, Date.now()));
  };
  const read = (name: ControlName) => c.ask(CONTROL_SPECS[name].read!());
  return { ...c, write, read };
}

describe('the emulator answers every control its model has, through the K-command handler table', () => {
  test('switches and selects on a pan model: each write changes the state and reads back', () => {
    const c = camera('HL_PAN3');
    for (const [name, value, key, state] of [
      ['status-light', false, 'statusLight', 2],
      ['night-vision', 'off', 'nightVision', 2],
      ['night-vision', 'on', 'nightVision', 1],
      ['ir-led', false, 'irLed', 2],
      ['siren', true, 'siren', 1],
      ['pan-scan', true, 'panScan', 1],
      ['motion-tracking', true, 'motionTracking', 1],
    ] as const) {
      assert.equal(c.write(name, value), true, `${name} acknowledged`);
      assert.equal(c.controls[key], state, `${name} in the emulator`);
      assert.equal(c.read(name), value, `${name} read back`);
    }
    assert.equal(c.counters.controlsRefused, 0);
  });

  test('time zone through K10302 and K10020 parameter 22; video parameters from the session quality', () => {
    const c = camera('HL_CAM4');
    assert.equal(c.write('time-zone', -8), true);
    assert.equal(c.controls.timeZone, -8);
    assert.equal(c.read('time-zone'), -8);
    assert.deepEqual(c.read('video'), { bitrateKBps: 240, frameSize: 3, fps: 20, horizontalFlip: false, verticalFlip: false });
  });

  test('camera time: K10090 reports the camera clock, K10092 sets it', () => {
    const c = camera('HL_CAM4');
    const before = Date.parse(c.read('camera-time') as string);
    assert.ok(Math.abs(before - (Date.now() + 3_600_000)) < 2000, 'an hour ahead, as set up');
    assert.equal(c.write('camera-time', 'now'), true);
    assert.ok(Math.abs(c.clock.offsetMs) < 1000, `offset ${c.clock.offsetMs} ms after the set`);
    assert.equal(c.write('camera-time', '2030-01-01T00:00:00Z'), true);
    assert.equal(Math.round(c.clock.nowMs() / 1000), Date.parse('2030-01-01T00:00:00Z') / 1000);
  });

  test('PTZ: a step, a turn by degrees (never answered) and a go-to move the position; cruise points round-trip', () => {
    const c = camera('WYZECP1_JEF');
    const start = { ...c.controls.position };
    assert.equal(c.write('ptz', { action: 'step', direction: 'left' }), true);
    assert.deepEqual(c.controls.position, { horizontal: start.horizontal - PTZ_STEP_DEGREES.horizontal, vertical: start.vertical });
    const sentBefore = c.sent.length;
    assert.equal(c.write('ptz', { action: 'rotate', horizontal: 30, vertical: -10 }), true);
    assert.equal(c.sent.length, sentBefore, 'K11000 gets no reply');
    assert.deepEqual(c.controls.position, { horizontal: start.horizontal - PTZ_STEP_DEGREES.horizontal + 30, vertical: start.vertical - 10 });
    assert.equal(c.write('ptz', { action: 'goto', horizontal: 300, vertical: 40 }), true);
    assert.deepEqual(c.controls.position, { horizontal: 300, vertical: 40 });
    const points = [
      { horizontal: 10, vertical: 5, waitSeconds: 10 },
      { horizontal: 200, vertical: 30, waitSeconds: 60 },
    ];
    assert.equal(c.write('cruise-points', points), true);
    assert.deepEqual(c.read('cruise-points'), points);
  });

  test('a resent K11000 (same cmdSeq) turns the camera once', () => {
    const c = camera('HL_PAN2');
    const req = CONTROL_SPECS.ptz.write!({ action: 'rotate', horizontal: 20, vertical: 0 }, Date.now());
    c.ask(req, 50);
    c.ask(req, 50);
    assert.equal(c.controls.ptzMoves, 1);
    assert.equal(c.counters.ioctrlDuplicates, 1);
  });

  test('a model without the control gets silence, and nothing changes: PTZ on a Cam v4, floodlight on a v3', () => {
    const v4 = camera('HL_CAM4');
    const position = { ...v4.controls.position };
    for (const move of [{ action: 'step', direction: 'up' }, { action: 'goto', horizontal: 0, vertical: 0 }]) assert.equal(v4.write('ptz', move), 'silent');
    v4.write('ptz', { action: 'rotate', horizontal: 90, vertical: 0 });
    assert.equal(v4.read('motion-tracking'), 'silent');
    assert.deepEqual(v4.controls.position, position);
    assert.equal(v4.controls.ptzMoves, 0);
    assert.equal(v4.counters.controlsRefused, 4);
    const v3 = camera('WYZE_CAKP2JFUS');
    assert.equal(v3.write('floodlight', true), 'silent');
    assert.equal(v3.controls.floodlight, 2);
  });

  test('the spotlight answers only with its accessory fitted', () => {
    assert.equal(camera('WYZE_CAKP2JFUS').write('spotlight', true), 'silent');
    const lit = camera('WYZE_CAKP2JFUS', ['spotlight']);
    assert.equal(lit.write('spotlight', true), true);
    assert.equal(lit.read('spotlight'), true);
  });

  test('every model answers exactly the controls the capability table gives it', () => {
    for (const model of ['WYZEC1', 'WYZE_CAKP2JFUS', 'HL_CAM4', 'HL_PANP', 'HL_CFL2', 'WYZEDB3', 'UNKNOWN_MODEL']) {
      const c = camera(model, ['spotlight']);
      const has = new Set(controlsOf(model));
      for (const name of CONTROL_NAMES) {
        const spec = CONTROL_SPECS[name];
        const answer = spec.read ? c.read(name) : c.write(name, name === 'ptz' ? { action: 'step', direction: 'right' } : true);
        assert.equal(answer !== 'silent', has.has(name), `${model} ${name}: ${JSON.stringify(answer)}`);
      }
    }
  });
});
