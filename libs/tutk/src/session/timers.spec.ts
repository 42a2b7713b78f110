import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../testing/eventually';
import { TimerSet } from './timers';

describe('TimerSet', () => {
  it('close() clears pending timers and intervals, and refuses new ones', async () => {
    const t = new TimerSet();
    let fired = 0;
    t.timeout(5, () => fired++);
    t.interval(5, () => fired++);
    assert.equal(t.size, 2);
    t.close();
    assert.equal(t.size, 0);
    assert.equal(t.timeout(1, () => fired++), undefined);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(fired, 0);
  });

  it('a fired timeout leaves the set; sleep() resolves false when closed early', async () => {
    const t = new TimerSet();
    assert.equal(await t.sleep(1), true);
    assert.equal(t.size, 0);
    const s = t.sleep(10_000);
    t.close();
    assert.equal(await s, false);
  });

  it('sleepUntil() resolves when its clock reaches the deadline, re-arming when a timer fires before it', async () => {
    let clock = 0;
    const t = new TimerSet(() => clock);
    let result: boolean | undefined;
    void t.sleepUntil(3).then((v) => (result = v));
    // The clock stands still: its 3 ms timer fires (more than once in 15 ms), finds the deadline not
    // reached and waits again. A negative can only be checked after some time has passed.
    await new Promise((r) => setTimeout(r, 15));
    assert.equal(result, undefined, 'not before the clock reaches the deadline');
    assert.equal(t.size, 1, 'one timer waiting');
    clock = 3;
    await eventually(() => result !== undefined, 'resolved once the clock got there');
    assert.equal(result, true);
    assert.equal(t.size, 0, 'no timer left behind');
    assert.equal(await t.sleepUntil(2), true, 'a deadline already passed resolves at once');
  });

  it('close() ends a sleepUntil() and refuses new ones', async () => {
    const t = new TimerSet(() => 0);
    const s = t.sleepUntil(10_000);
    t.close();
    assert.equal(await s, false);
    assert.equal(await t.sleepUntil(1), false);
  });
});

