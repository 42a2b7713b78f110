import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIsoUs, parseIsoUs } from './time';

test('parses UTC times with Z to µs, with up to six fraction digits', () => {
  assert.equal(parseIsoUs('1970-01-01T00:00:00Z'), 0);
  assert.equal(parseIsoUs('2025-01-31T13:45:00Z'), Date.UTC(2025, 0, 31, 13, 45) * 1000);
  assert.equal(parseIsoUs('2025-01-31T13:45:00.5Z'), Date.UTC(2025, 0, 31, 13, 45) * 1000 + 500_000);
  assert.equal(parseIsoUs('2025-01-31T13:45:00.000123Z'), Date.UTC(2025, 0, 31, 13, 45) * 1000 + 123);
});

test('refuses offsets, missing Z, impossible dates and too much precision', () => {
  for (const bad of [
    '2025-01-31T13:45:00',
    '2025-01-31T13:45:00+01:00',
    '2025-01-31 13:45:00Z',
    '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T00:00:60Z',
    '2025-01-01T00:00:00.1234567Z',
    '1735689600',
    '',
    'yesterday',
  ]) {
    assert.equal(parseIsoUs(bad), undefined, bad);
  }
});

test('formats µs with six fraction digits and round-trips', () => {
  for (const us of [0, 1, 999_999, 1_760_000_000_123_456, 1_760_000_000_000_000]) {
    assert.equal(parseIsoUs(formatIsoUs(us)), us);
  }
  assert.equal(formatIsoUs(1_760_000_000_123_456), '2025-10-09T08:53:20.123456Z');
});
