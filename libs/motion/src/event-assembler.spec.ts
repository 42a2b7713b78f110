import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MotionEventAssembler, type MotionEvent } from './event-assembler';

const S = 1_000_000;

/** Feeds motion as 50 ms intervals over each [from, to) second range, advancing time frame by frame to `until`. */
function run(ranges: [number, number][], until: number, options = { minEventUs: 1 * S, mergeGapUs: 2 * S }): MotionEvent[] {
  const a = new MotionEventAssembler(options);
  const out: MotionEvent[] = [];
  for (let t = 0; t < until * S; t += 50_000) {
    if (ranges.some(([from, to]) => t >= from * S && t < to * S)) a.add(t, t + 50_000, 1 + t / 1e9, 'complexity', out);
    a.advance(t, out);
  }
  return a.flush(out);
}

describe('MotionEventAssembler', () => {
  test('one burst: a start once it has lasted the minimum, an end once the merge gap has passed', () => {
    const events = run([[5, 8]], 20);
    assert.deepEqual(
      events.map((e) => e.type),
      ['start', 'end'],
    );
    const [start, end] = events;
    assert.equal(start.startUs, 5 * S);
    assert.equal(start.type === 'start' && start.detectedUs, 6 * S);
    assert.equal(end.type === 'end' && end.endUs, 8 * S);
    assert.equal(end.startUs, 5 * S);
  });

  test('bursts closer than the merge gap are one event', () => {
    const events = run([[5, 7], [8, 10]], 20).filter((e) => e.type === 'end');
    assert.equal(events.length, 1);
    assert.equal(events[0].startUs, 5 * S);
    assert.equal(events[0].type === 'end' && events[0].endUs, 10 * S);
  });

  test('bursts further apart than the merge gap are two events', () => {
    const events = run([[5, 7], [9.5, 11]], 20).filter((e) => e.type === 'end');
    assert.equal(events.length, 2);
  });

  test('motion shorter than the minimum length is no event', () => {
    assert.deepEqual(run([[5, 5.5]], 20), []);
  });

  test('short bursts that merge can together reach the minimum length', () => {
    const events = run([[5, 5.4], [5.8, 6.2]], 20).filter((e) => e.type === 'end');
    assert.equal(events.length, 1);
  });

  test('the peak score is the highest of the merged intervals; sources are listed', () => {
    const a = new MotionEventAssembler({ minEventUs: 0, mergeGapUs: S });
    a.add(0, S, 2, 'complexity');
    a.add(1.5 * S, 3 * S, 7, 'keyframes');
    a.add(3 * S, 3.5 * S, 3, 'complexity');
    const [end] = a.flush();
    assert.equal(end.type === 'end' && end.peakScore, 7);
    assert.deepEqual(end.type === 'end' && end.sources, ['complexity', 'keyframes']);
  });

  test('an interval starting in the past extends the open event backwards', () => {
    const a = new MotionEventAssembler({ minEventUs: 0, mergeGapUs: S });
    a.add(10 * S, 11 * S, 1, 'complexity');
    a.add(8 * S, 10 * S, 1, 'keyframes');
    const [end] = a.flush();
    assert.equal(end.startUs, 8 * S);
  });
});
