import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes, sameBytes } from './bytes';

const u8 = (...v: number[]) => Uint8Array.from(v);

describe('concatBytes', () => {
  test('joins the parts in order, views included, into a new array', () => {
    const backing = u8(9, 1, 2, 9);
    const out = concatBytes(u8(0), backing.subarray(1, 3), u8(), u8(3, 4));
    assert.deepEqual(out, u8(0, 1, 2, 3, 4));
    out[1] = 7;
    assert.equal(backing[1], 1);
  });

  test('no parts is an empty array', () => {
    assert.equal(concatBytes().length, 0);
  });
});

describe('sameBytes', () => {
  test('without n: equal only when the lengths and every byte match', () => {
    assert.equal(sameBytes(u8(1, 2, 3), u8(1, 2, 3)), true);
    assert.equal(sameBytes(u8(1, 2, 3), u8(1, 2, 4)), false);
    assert.equal(sameBytes(u8(1, 2), u8(1, 2, 3)), false);
    assert.equal(sameBytes(u8(1, 2, 3), u8(1, 2)), false);
    assert.equal(sameBytes(u8(), u8()), true);
  });

  test('with n: the first n bytes of both, which must both be there', () => {
    assert.equal(sameBytes(u8(1, 2, 3), u8(1, 2, 9), 2), true);
    assert.equal(sameBytes(u8(1, 2, 3), u8(1, 9, 3), 2), false);
    assert.equal(sameBytes(u8(1, 2, 3), u8(1), 2), false);
    assert.equal(sameBytes(u8(1), u8(1, 2, 3), 2), false);
  });
});
