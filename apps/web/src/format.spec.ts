/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayWindow, formatBytes, formatDuration, GB, DAY_S, limitText, localDay, parseLimit } from './format';

describe('format', () => {
  it('sizes in decimal units with sensible digits', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1234), '1.23 kB');
    assert.equal(formatBytes(12_345_678), '12.3 MB');
    assert.equal(formatBytes(456_000_000_000), '456 GB');
    assert.equal(formatBytes(null), '—');
  });

  it('durations', () => {
    assert.deepEqual([0, 45, 65, 3600 + 4 * 60, 3 * DAY_S + 4 * 3600].map(formatDuration), ['0 s', '45 s', '1 min 05 s', '1 h 04 min', '3 d 4 h']);
  });

  it('a local day is a window of the local midnight to the next', () => {
    const w = dayWindow('2031-01-15');
    assert.equal(new Date(w.from).getDate(), 15);
    assert.equal(new Date(w.from).getHours(), 0);
    assert.equal(new Date(w.to).getDate(), 16);
    assert.equal(localDay(new Date(w.from)), '2031-01-15');
  });

  it('limit fields: blank is no limit, a number in the unit, anything else refused', () => {
    assert.equal(parseLimit('', DAY_S), null);
    assert.equal(parseLimit('  ', GB), null);
    assert.equal(parseLimit('30', DAY_S), 30 * DAY_S);
    assert.equal(parseLimit('1,5', GB), 1.5e9);
    assert.equal(parseLimit('0', DAY_S), undefined);
    assert.equal(parseLimit('-3', DAY_S), undefined);
    assert.equal(parseLimit('ten', DAY_S), undefined);
    assert.equal(limitText(null, GB), '');
    assert.equal(limitText(1.5e9, GB), '1.5');
    assert.equal(limitText(30 * DAY_S, DAY_S), '30');
  });
});
