import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from './cursor';
import { DomainError } from './domain.error';

test('a cursor round-trips its key', () => {
  const c = encodeCursor('segments', [1_760_000_000_000_000, 42]);
  assert.match(c, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor('segments', c, ['number', 'number']), [1_760_000_000_000_000, 42]);
});

test('a cursor of another list, a forged or a garbled one is a validation error', () => {
  const other = encodeCursor('cameras', [3]);
  for (const bad of [other, 'abc', '!!!', encodeCursor('segments', ['x', 1]), encodeCursor('segments', [1.5, 1]), 'a'.repeat(300)]) {
    assert.throws(() => decodeCursor('segments', bad, ['number', 'number']), (e: unknown) => e instanceof DomainError && e.code === 'validation-failed', bad);
  }
});
