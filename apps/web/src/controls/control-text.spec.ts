/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CameraControl } from '../api/types';
import { controlLabel, timeZoneText, valueText } from './control-text';

const control = (c: Partial<CameraControl>): CameraControl => ({ name: 'x', kind: 'switch', readable: true, writable: true, accessory: false, value: null, commands: [], ...c });

describe('control text', () => {
  it('labels and time zones', () => {
    assert.equal(controlLabel('night-vision'), 'Night vision');
    assert.equal(controlLabel('new-thing'), 'new-thing');
    assert.deepEqual([-5, 0, 13].map(timeZoneText), ['UTC−5', 'UTC', 'UTC+13']);
  });

  it('values: unknown with why, video, clock offset, points', () => {
    assert.equal(valueText(control({ error: 'the camera did not answer' })), 'the camera did not answer');
    assert.equal(valueText(control({ readable: false })), 'not readable');
    assert.equal(valueText(control({ kind: 'info', value: { bitrateKBps: 240, fps: 20 } })), '240 KB/s · 20 fps');
    assert.match(valueText(control({ kind: 'time', value: '2026-01-01T01:00:00.000Z', offsetSeconds: 3600.2 })), /\(3600.2 s ahead of the recorder\)$/);
    assert.match(valueText(control({ kind: 'time', value: '2026-01-01T00:00:01.000Z', offsetSeconds: -0.6 })), /in step with the recorder/);
    assert.equal(valueText(control({ kind: 'points', value: [{}, {}] })), '2 points');
    assert.equal(valueText(control({ name: 'time-zone', kind: 'number', value: -8 })), 'UTC−8');
  });
});
