/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aheadOf, isBuffered, jumpOverHole } from './buffered';

describe('buffered ranges', () => {
  const ranges = [
    { start: 0, end: 10 },
    { start: 190, end: 200 },
  ];
  it('jumps over a hole at the end of a range, to the next one', () => {
    assert.deepEqual(jumpOverHole(ranges, 9.9), { from: 10, to: 190 });
    assert.deepEqual(jumpOverHole(ranges, 10), { from: 10, to: 190 });
    assert.deepEqual(jumpOverHole(ranges, 50), { from: 50, to: 190 });
  });
  it('does not jump in the middle of a range, nor at the end of what has arrived', () => {
    assert.equal(jumpOverHole(ranges, 5), undefined);
    assert.equal(jumpOverHole(ranges, 199.95), undefined);
    assert.equal(jumpOverHole([{ start: 0, end: 4 }], 4), undefined);
  });
  it('measures what is buffered ahead', () => {
    assert.equal(aheadOf(ranges, 4), 6);
    assert.equal(aheadOf(ranges, 100), 0);
    assert.equal(isBuffered(ranges, 195), true);
    assert.equal(isBuffered(ranges, 100), false);
  });
});
