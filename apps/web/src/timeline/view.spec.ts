/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clampView, DAY_MS, HOUR_MS, MAX_SPAN_MS, MIN_SPAN_MS, panByPixels, ticks, timeAtX, xAtTime, zoomAt, zoomStep } from './view';

const T0 = Date.UTC(2031, 0, 15, 12);

describe('timeline view', () => {
  it('maps pixels to times and back', () => {
    const v = { startMs: T0, spanMs: HOUR_MS };
    assert.equal(timeAtX(v, 500, 1000), T0 + HOUR_MS / 2);
    assert.equal(xAtTime(v, T0 + HOUR_MS / 4, 1000), 250);
  });
  it('zooms about the pointer, within 1 h … 7 days', () => {
    const v = { startMs: T0, spanMs: 4 * HOUR_MS };
    const z = zoomAt(v, 0.5, 250, 1000);
    assert.equal(z.spanMs, 2 * HOUR_MS);
    assert.equal(timeAtX(z, 250, 1000), timeAtX(v, 250, 1000));
    assert.equal(zoomAt(v, 0.01, 0, 1000).spanMs, MIN_SPAN_MS);
    assert.equal(zoomAt(v, 1000, 0, 1000).spanMs, MAX_SPAN_MS);
  });
  it('steps through the zoom levels about the centre', () => {
    const v = { startMs: T0, spanMs: DAY_MS };
    const out = zoomStep(v, 1);
    assert.equal(out.spanMs, 3 * DAY_MS);
    assert.equal(out.startMs + out.spanMs / 2, T0 + DAY_MS / 2);
    assert.equal(zoomStep(v, -1).spanMs, 12 * HOUR_MS);
    assert.equal(zoomStep({ startMs: T0, spanMs: HOUR_MS }, -1).spanMs, HOUR_MS);
  });
  it('pans by a drag, and stops the window a little after now', () => {
    const v = { startMs: T0, spanMs: HOUR_MS };
    assert.equal(panByPixels(v, 100, 1000).startMs, T0 - HOUR_MS / 10);
    const c = clampView({ startMs: T0 + 5 * HOUR_MS, spanMs: HOUR_MS }, T0);
    assert.equal(c.startMs + c.spanMs, T0 + HOUR_MS / 10);
  });
  it('puts ticks on round local times', () => {
    const t = ticks({ startMs: T0 + 7 * 60_000, spanMs: HOUR_MS }, 15 * 60_000);
    assert.equal(t.length, 4);
    for (const ms of t) assert.equal(new Date(ms).getMinutes() % 15, 0);
    const days = ticks({ startMs: T0, spanMs: 3 * DAY_MS }, DAY_MS);
    assert.equal(days.length, 3);
    for (const ms of days) assert.equal(new Date(ms).getHours(), 0);
  });
});
