import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityFormatError, activityLevel, forEachActivity, minuteOf, MINUTE_US, packActivity, unpackActivity } from './motion-activity';

const M = 1_700_000_040 * 1_000_000; // a minute boundary (1 700 000 040 s is a multiple of 60)

describe('motion activity entries', () => {
  test('pack → bytes: offset_ms u16 big-endian, then level', () => {
    const bytes = packActivity(M, [
      { startUs: M, level: 0 },
      { startUs: M + 1_500_000, level: 50 },
      { startUs: M + 59_999_999, level: 100 },
    ]);
    assert.deepEqual([...bytes], [0x00, 0x00, 0, 0x05, 0xdc, 50, 0xea, 0x5f, 100]);
  });

  test('round trip keeps order, levels and the start to the millisecond (truncated)', () => {
    const gops = [
      { startUs: M + 250, level: 3 },
      { startUs: M + 1_000_999, level: 77 },
      { startUs: M + 2_000_000, level: 50 },
    ];
    assert.deepEqual(unpackActivity(M, packActivity(M, gops)), [
      { startUs: M, level: 3 },
      { startUs: M + 1_000_000, level: 77 },
      { startUs: M + 2_000_000, level: 50 },
    ]);
  });

  test('a GOP outside the minute or a level outside 0..100 is refused when packing', () => {
    assert.throws(() => packActivity(M, [{ startUs: M - 1, level: 1 }]), RangeError);
    assert.throws(() => packActivity(M, [{ startUs: M + MINUTE_US, level: 1 }]), RangeError);
    assert.throws(() => packActivity(M, [{ startUs: M, level: 101 }]), RangeError);
    assert.throws(() => packActivity(M, [{ startUs: M, level: 2.5 }]), RangeError);
  });

  test('malformed stored bytes are an ActivityFormatError, not a wrong answer', () => {
    assert.throws(() => unpackActivity(M, new Uint8Array([0, 1])), ActivityFormatError);
    assert.throws(() => unpackActivity(M, new Uint8Array([0xea, 0x60, 1])), ActivityFormatError); // offset 60 000 ms
    assert.throws(() => unpackActivity(M, new Uint8Array([0, 0, 101])), ActivityFormatError);
  });

  test('reads entries from a view into a larger buffer (as the pg driver hands bytea)', () => {
    const backing = new Uint8Array(10);
    backing.set(packActivity(M, [{ startUs: M + 7_000_000, level: 9 }]), 4);
    const seen: [number, number][] = [];
    forEachActivity(M, backing.subarray(4, 7), (t, l) => seen.push([t, l]));
    assert.deepEqual(seen, [[M + 7_000_000, 9]]);
  });

  test('levels: the threshold is 50, linear, clamped to 0..100', () => {
    assert.equal(activityLevel(1), 50);
    assert.equal(activityLevel(0.5), 25);
    assert.equal(activityLevel(1.99), 100);
    assert.equal(activityLevel(3), 100);
    assert.equal(activityLevel(-0.4), 0);
    assert.equal(activityLevel(Number.NaN), 0);
    assert.equal(activityLevel(Infinity), 100);
  });

  test('minuteOf floors to the UTC minute', () => {
    assert.equal(minuteOf(M + 59_999_999), M);
    assert.equal(minuteOf(M + MINUTE_US), M + MINUTE_US);
  });
});
