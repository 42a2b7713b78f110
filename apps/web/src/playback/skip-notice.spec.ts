/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipNotice } from './skip-notice';

const T0 = Date.UTC(2031, 0, 15, 12);

describe('skip notice', () => {
  it('says how long and why, the reason with the most time first', () => {
    const gaps = [
      { fromMs: T0 - 60_000, toMs: T0 + 10_000, reason: 'network_loss' },
      { fromMs: T0 + 10_000, toMs: T0 + 180_000, reason: 'recorder_down' },
      { fromMs: T0 + 500_000, toMs: null, reason: 'offline' },
    ];
    assert.equal(skipNotice(T0, T0 + 180_000, gaps, T0 + 600_000), 'Skipped 3 min 00 s gap: recorder down, network loss');
  });
  it('says "no recording" for time without a gap row', () => {
    assert.equal(skipNotice(T0, T0 + 5000, [], T0), 'Skipped 5 s gap: no recording');
  });
});
