/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadInSlices, windowSlices } from './window-slices';

const T0 = Date.UTC(2031, 0, 15);
const HOUR = 3_600_000;

describe('window slices', () => {
  it('cuts the window into consecutive slices that cover it exactly', () => {
    const s = windowSlices(T0, T0 + 24 * HOUR + 1, 4);
    assert.equal(s.length, 4);
    assert.equal(s[0].fromMs, T0);
    assert.equal(s[3].toMs, T0 + 24 * HOUR + 1);
    for (let i = 1; i < s.length; i++) assert.equal(s[i].fromMs, s[i - 1].toMs);
    assert.deepEqual(windowSlices(T0, T0 + 2, 4), [
      { fromMs: T0, toMs: T0 + 1 },
      { fromMs: T0 + 1, toMs: T0 + 2 },
    ]);
  });

  it('loads the slices at once and keeps an item spanning several of them once, in start order', async () => {
    // Items as a server holds them: [start, end) (end null: still open); a slice answers those overlapping it.
    const items = [
      { id: 1, start: T0 + HOUR, end: T0 + 2 * HOUR },
      { id: 2, start: T0 + 5 * HOUR, end: T0 + 13 * HOUR }, // spans two boundaries
      { id: 3, start: T0 + 12 * HOUR, end: T0 + 12 * HOUR + 1 },
      { id: 4, start: T0 + 20 * HOUR, end: null },
      { id: 5, start: T0 + 23 * HOUR, end: T0 + 25 * HOUR },
    ];
    let inFlight = 0;
    let most = 0;
    const got = await loadInSlices(T0, T0 + 24 * HOUR, 4, async (f, t) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return items.filter((e) => e.start < t && (e.end === null || e.end > f));
    });
    assert.deepEqual(
      got.map((e) => e.id),
      [1, 2, 3, 4, 5],
    );
    assert.equal(most, 4);
  });
});
