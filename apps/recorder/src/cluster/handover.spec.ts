import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../testing/fake-clock';
import { untilSegmentBoundary } from './handover';

describe('untilSegmentBoundary', () => {
  it('waits for the segment boundary, not longer', async () => {
    const clock = new FakeClock();
    let reach!: () => void;
    const boundary = new Promise<void>((r) => (reach = r));
    let got: string | undefined;
    void untilSegmentBoundary(boundary, clock, 4000).then((v) => (got = v));
    await clock.advance(2500);
    assert.equal(got, undefined, 'still waiting 2.5 s in');
    reach();
    await settle();
    assert.equal(got, 'boundary');
    assert.deepEqual(clock.pendingTimeouts, [], 'its timer is cancelled');
  });

  it('gives up after at most maxMs (no keyframe, session down)', async () => {
    const clock = new FakeClock();
    let got: string | undefined;
    void untilSegmentBoundary(new Promise<void>(() => undefined), clock, 4000).then((v) => (got = v));
    await clock.advance(3999);
    assert.equal(got, undefined);
    await clock.advance(1);
    await settle();
    assert.equal(got, 'timeout');
  });
});
