import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { packActivity, type GopActivity } from '@wyze-nvr/db';
import { activityLevels, bucketsOf, type ActivityMinute } from './activity-levels';

const S = 1_000_000;
const M = 1_760_000_040 * S; // a minute boundary

const minute = (minuteUs: number, gops: GopActivity[]): ActivityMinute => ({ minuteUs, entries: packActivity(minuteUs, gops) });

describe('activity buckets', () => {
  test('bucketMs = max(1000, ceil(range / buckets)); count covers the range', () => {
    assert.deepEqual(bucketsOf(M, M + 7 * 24 * 3600 * S, 1000), { bucketMs: 604_800, count: 1000 });
    assert.deepEqual(bucketsOf(M, M + 3600 * S, 1000), { bucketMs: 3600, count: 1000 });
    assert.deepEqual(bucketsOf(M, M + 600 * S, 1000), { bucketMs: 1000, count: 600 }, 'never under a second: fewer buckets');
    assert.deepEqual(bucketsOf(M, M + 10 * S + 1, 3), { bucketMs: 3334, count: 3 }, 'ceil');
    assert.deepEqual(bucketsOf(M, M + 1, 1000), { bucketMs: 1000, count: 1 });
  });

  test('each bucket holds the highest level of the GOPs starting in it, half-open; empty buckets are null', () => {
    const minutes = [
      minute(M, [
        { startUs: M + 1 * S, level: 10 },
        { startUs: M + 9 * S, level: 60 }, // last GOP of bucket 0 ([0, 10) s)
        { startUs: M + 10 * S, level: 20 }, // first of bucket 1
        { startUs: M + 12 * S, level: 5 },
        { startUs: M + 50 * S, level: 0 },
      ]),
      minute(M + 60 * S, [{ startUs: M + 61 * S, level: 99 }]),
    ];
    const { bucketMs, count } = bucketsOf(M, M + 70 * S, 7);
    assert.equal(bucketMs, 10_000);
    assert.deepEqual(activityLevels({ buckets: [], minutes }, M, M + 70 * S, bucketMs, count), [60, 20, null, null, null, 0, 99]);
  });

  test('bucket levels from whole minutes and unpacked minutes combine by max', () => {
    const minutes = [minute(M, [{ startUs: M + 55 * S, level: 40 }])];
    const scan = { buckets: [{ bucket: 0, level: 30 }, { bucket: 2, level: 90 }], minutes };
    assert.deepEqual(activityLevels(scan, M, M + 180 * S, 60_000, 3), [40, null, 90]);
  });

  test('GOPs before from or at/after to are left out (a minute row straddles the window)', () => {
    const minutes = [minute(M, [{ startUs: M + 5 * S, level: 90 }, { startUs: M + 20 * S, level: 30 }, { startUs: M + 37 * S, level: 80 }])];
    // [M+10, M+35) in 10 s buckets: the last one, [30, 40) s, reaches past `to`, and the GOP at 37 s is outside.
    assert.deepEqual(activityLevels({ buckets: [], minutes }, M + 10 * S, M + 35 * S, 10_000, 3), [null, 30, null]);
  });
});
