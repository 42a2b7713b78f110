import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInt8, parseInt8Array } from './int8';
import { isNonEmptyWindow } from './time-range';

describe('parseInt8', () => {
  test('parses µs timestamps and negatives exactly', () => {
    assert.equal(parseInt8('1700000000123456'), 1_700_000_000_123_456);
    assert.equal(parseInt8('-42'), -42);
    assert.equal(parseInt8('9007199254740991'), Number.MAX_SAFE_INTEGER);
    assert.equal(parseInt8('-9007199254740991'), Number.MIN_SAFE_INTEGER);
  });

  test('refuses values a number cannot hold exactly', () => {
    assert.throws(() => parseInt8('9007199254740992'), RangeError);
    assert.throws(() => parseInt8('-9223372036854775808'), RangeError);
    assert.throws(() => parseInt8('abc'), RangeError);
    assert.throws(() => parseInt8(''), RangeError);
    assert.throws(() => parseInt8(' 7'), RangeError);
    assert.throws(() => parseInt8('1e3'), RangeError);
  });
});

describe('parseInt8Array', () => {
  test('parses elements and NULLs', () => {
    assert.deepEqual(parseInt8Array('{1,-2,NULL,1700000000000000}'), [1, -2, null, 1_700_000_000_000_000]);
    assert.deepEqual(parseInt8Array('{}'), []);
  });

  test('rejects malformed literals instead of guessing', () => {
    assert.throws(() => parseInt8Array(''), SyntaxError);
    assert.throws(() => parseInt8Array('{1,2'), SyntaxError);
    assert.throws(() => parseInt8Array('{1,,2}'), RangeError);
    assert.throws(() => parseInt8Array('{9007199254740993}'), RangeError);
  });
});

describe('isNonEmptyWindow', () => {
  test('half-open: [t, t) is empty, [t, t+1) is not', () => {
    assert.equal(isNonEmptyWindow(10, 10), false);
    assert.equal(isNonEmptyWindow(10, 9), false);
    assert.equal(isNonEmptyWindow(10, 11), true);
  });

  test('bounds must be integer µs', () => {
    assert.throws(() => isNonEmptyWindow(0.5, 2), RangeError);
    assert.throws(() => isNonEmptyWindow(0, Number.NaN), RangeError);
    assert.throws(() => isNonEmptyWindow(0, 2 ** 53), RangeError);
  });
});
