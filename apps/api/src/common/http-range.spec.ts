import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRange } from './http-range';

test('no header, other units, multiple ranges and bad syntax send the whole file', () => {
  for (const h of [undefined, 'items=0-1', 'bytes=0-1,4-5', 'bytes=abc', 'bytes=-', 'bytes=5-2']) {
    assert.deepEqual(resolveRange(h, 100), { kind: 'full' }, String(h));
  }
});

test('first-last, open-ended and suffix ranges', () => {
  assert.deepEqual(resolveRange('bytes=0-9', 100), { kind: 'partial', start: 0, end: 9 });
  assert.deepEqual(resolveRange('bytes=90-', 100), { kind: 'partial', start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=90-500', 100), { kind: 'partial', start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-10', 100), { kind: 'partial', start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-500', 100), { kind: 'partial', start: 0, end: 99 });
});

test('a range starting at or past the end, or an empty suffix, is unsatisfiable', () => {
  assert.deepEqual(resolveRange('bytes=100-', 100), { kind: 'unsatisfiable' });
  assert.deepEqual(resolveRange('bytes=200-300', 100), { kind: 'unsatisfiable' });
  assert.deepEqual(resolveRange('bytes=-0', 100), { kind: 'unsatisfiable' });
  assert.deepEqual(resolveRange('bytes=0-', 0), { kind: 'unsatisfiable' });
});
