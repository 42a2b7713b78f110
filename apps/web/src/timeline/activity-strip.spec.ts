/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activityColumns, columnColour, columnHeight } from './activity-strip';

const T0 = Date.UTC(2031, 0, 15, 12);

describe('activity strip', () => {
  it('maps buckets to pixel columns, merging equal neighbours and skipping unscored buckets', () => {
    // 10 buckets of 1 min over a 10 min window 100 px wide: 10 px per bucket.
    const a = { fromMs: T0, bucketMs: 60_000, threshold: 50, levels: [0, 0, null, 80, 80, 20, null, null, 100, 5] };
    const cols = activityColumns(a, { startMs: T0, spanMs: 600_000 }, 100);
    assert.deepEqual(cols, [
      { x: 0, w: 20, level: 0 },
      { x: 30, w: 20, level: 80 },
      { x: 50, w: 10, level: 20 },
      { x: 80, w: 10, level: 100 },
      { x: 90, w: 10, level: 5 },
    ]);
  });
  it('keeps the highest level where many buckets share a pixel, and clips to the window', () => {
    // 100 buckets of 1 s in a window of 100 s drawn 10 px wide: 10 buckets per pixel.
    const levels = Array.from({ length: 100 }, (_, i) => (i === 37 ? 90 : 10));
    const cols = activityColumns({ fromMs: T0, bucketMs: 1000, threshold: 50, levels }, { startMs: T0 + 20_000, spanMs: 100_000 }, 10);
    assert.deepEqual(cols, [
      { x: 0, w: 1, level: 10 },
      { x: 1, w: 1, level: 90 },
      { x: 2, w: 6, level: 10 },
    ]);
  });
  it('draws nothing for a series outside the window', () => {
    assert.deepEqual(activityColumns({ fromMs: T0, bucketMs: 1000, threshold: 50, levels: [50, 60] }, { startMs: T0 + 10_000, spanMs: 1000 }, 100), []);
  });
  it('scales heights to the strip and colours by the threshold', () => {
    assert.equal(columnHeight(100, 12), 12);
    assert.equal(columnHeight(50, 12), 6);
    assert.equal(columnHeight(0, 12), 1);
    assert.notEqual(columnColour(50, 50), columnColour(49, 50));
  });
});
