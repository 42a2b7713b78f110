/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimelineGestures } from './gestures';
import { HOUR_MS } from './view';

const T0 = Date.UTC(2031, 0, 15, 12);
const view = { startMs: T0, spanMs: HOUR_MS };

describe('timeline gestures', () => {
  it('a tap is a time to play from; a tiny wobble is still a tap', () => {
    const g = new TimelineGestures();
    g.start(1, 500, view, false);
    assert.deepEqual(g.move(1, 502, 1000), { kind: 'none' });
    assert.deepEqual(g.end(1, 502, 1000), { kind: 'tap', atMs: T0 + 0.502 * HOUR_MS });
  });
  it('a drag pans (right is back in time) and is not a tap', () => {
    const g = new TimelineGestures();
    g.start(1, 500, view, false);
    assert.deepEqual(g.move(1, 600, 1000), { kind: 'view', view: { startMs: T0 - HOUR_MS / 10, spanMs: HOUR_MS } });
    assert.deepEqual(g.end(1, 600, 1000), { kind: 'none' });
  });
  it('in select mode a drag selects a range', () => {
    const g = new TimelineGestures();
    g.start(1, 100, view, true);
    assert.equal(g.move(1, 200, 1000).kind, 'select');
    assert.deepEqual(g.end(1, 300, 1000), { kind: 'select', fromMs: T0 + HOUR_MS / 10, toMs: T0 + (3 * HOUR_MS) / 10, done: true });
  });
  it('two fingers moving apart zoom in about their centre', () => {
    const g = new TimelineGestures();
    g.start(1, 400, { startMs: T0, spanMs: 4 * HOUR_MS }, false);
    g.start(2, 600, { startMs: T0, spanMs: 4 * HOUR_MS }, false);
    const r = g.move(2, 800, 1000);
    assert.equal(r.kind, 'view');
    if (r.kind === 'view') assert.equal(r.view.spanMs, 2 * HOUR_MS);
    assert.deepEqual(g.end(2, 800, 1000), { kind: 'none' });
    assert.deepEqual(g.end(1, 400, 1000), { kind: 'none' });
  });
});
