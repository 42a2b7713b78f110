import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSpans } from './coverage';

test('contiguous and overlapping segments merge; a real hole splits; spans are clipped to the window', () => {
  const s = (a: number, b: number) => ({ startUs: a, endUs: b });
  assert.deepEqual(mergeSpans([s(0, 10), s(10, 20), s(20, 30)], 0, 100, 0), [s(0, 30)]);
  assert.deepEqual(mergeSpans([s(0, 10), s(5, 12), s(30, 40)], 0, 100, 0), [s(0, 12), s(30, 40)]);
  assert.deepEqual(mergeSpans([s(0, 10), s(11, 20)], 0, 100, 1), [s(0, 20)]);
  assert.deepEqual(mergeSpans([s(0, 10), s(12, 20)], 0, 100, 1), [s(0, 10), s(12, 20)]);
  assert.deepEqual(mergeSpans([s(0, 10), s(10, 20), s(50, 90)], 5, 60, 0), [s(5, 20), s(50, 60)]);
  assert.deepEqual(mergeSpans([s(0, 0), s(100, 200)], 0, 100, 0), []);
});
