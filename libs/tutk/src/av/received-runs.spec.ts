// The client's half of the INFERRED retransmission model: which runs of the camera's sequence numbers the
// ACKs report, and the holes below them counted as resend requests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Arrival, ReceivedRuns, seqAfter, seqDelta } from './received-runs';

const run = (rxStart: number, rxEnd: number) => ({ rxStart, rxEnd });

function observeAll(r: ReceivedRuns, seqs: number[]): Arrival[] {
  return seqs.map((s) => r.observe(s));
}

describe('ReceivedRuns', () => {
  test('in order: one run, reported once, nothing requested', () => {
    const r = new ReceivedRuns();
    assert.deepEqual(observeAll(r, [10, 11, 12, 13]), ['next', 'next', 'next', 'next']);
    assert.deepEqual(r.take(16), [run(10, 13)]);
    assert.deepEqual(r.take(16), [], 'nothing new to report');
    assert.deepEqual(r.newestRun(), run(10, 13));
    assert.equal(r.stats.requested, 0);
  });

  test('a hole: both runs are reported, the hole is requested once, and its arrival is recovered and merges the runs', () => {
    const r = new ReceivedRuns();
    assert.deepEqual(observeAll(r, [1, 2, 3, 6, 7]), ['next', 'next', 'next', 'hole', 'next'], 'skipping 4 and 5 opens a hole');
    assert.deepEqual(r.take(16), [run(1, 3), run(6, 7)]);
    assert.equal(r.stats.requested, 2);
    r.observe(8);
    r.take(16);
    assert.equal(r.stats.requested, 2, 'a hole is asked for once');
    assert.equal(r.observe(4), 'filled');
    assert.deepEqual(r.take(16), [run(1, 4)]);
    r.observe(5);
    assert.deepEqual(r.take(16), [run(1, 8)]);
    assert.deepEqual(r.stats, { packets: 8, duplicates: 0, stale: 0, requested: 2, recovered: 2 });
  });

  test('a packet that arrives again has its run reported again (the ACK that covered it may have been lost)', () => {
    const r = new ReceivedRuns();
    observeAll(r, [1, 2, 3]);
    r.take(16);
    assert.equal(r.observe(2), 'duplicate');
    assert.deepEqual(r.take(16), [run(1, 3)]);
    assert.equal(r.stats.duplicates, 1);
  });

  test('a resend of the first packets of the stream, older than the first one seen, is taken and reported', () => {
    const r = new ReceivedRuns();
    observeAll(r, [3, 4]);
    assert.deepEqual(r.take(16), [run(3, 4)]);
    assert.equal(r.observe(0), 'filled');
    assert.deepEqual(r.take(16), [run(0, 0)]);
    assert.equal(r.stats.requested, 2, '1 and 2 were sent too');
    observeAll(r, [1, 2]);
    assert.deepEqual(r.take(16), [run(0, 4)]);
    assert.equal(r.stats.stale, 0);
  });

  test('runs cross the u16 wrap', () => {
    const r = new ReceivedRuns();
    observeAll(r, [0xfffe, 0xffff, 0, 1, 3]);
    assert.deepEqual(r.take(16), [run(0xfffe, 1), run(3, 3)]);
    assert.equal(r.stats.requested, 1);
    assert.equal(seqDelta(0xffff, 1), 2);
    assert.ok(seqAfter(1, 0xffff) && !seqAfter(0xffff, 1));
  });

  test('at most `max` runs per report, oldest first; the rest go out with the next one', () => {
    const r = new ReceivedRuns();
    observeAll(r, [0, 2, 4, 6, 8]);
    assert.deepEqual(r.take(2), [run(0, 0), run(2, 2)]);
    assert.equal(r.stats.requested, 1, 'only the holes below what was reported are requested');
    assert.deepEqual(r.take(16), [run(4, 4), run(6, 6), run(8, 8)]);
    assert.equal(r.stats.requested, 4);
  });

  test('the window slides: a number too far behind the newest is stale, and old holes are no longer asked for', () => {
    const r = new ReceivedRuns(8);
    observeAll(r, [0, 1, 2]);
    r.observe(20);
    assert.equal(r.observe(5), 'stale');
    assert.equal(r.stats.stale, 1);
    assert.deepEqual(r.take(16), [run(20, 20)], 'the run starts no earlier than the window');
    assert.equal(r.stats.requested, 7, '13..19 are asked for, 0..12 are out of the window');
    assert.throws(() => new ReceivedRuns(100), RangeError);
  });
});
