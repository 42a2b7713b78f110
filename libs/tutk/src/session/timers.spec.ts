import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
