import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../testing/fake-clock';
import { isLastNode } from './last-node';

const TTL = 9;

/** Nodes' last beats (fake monotonic ms); othersBeatingWithin counts those younger than the window. */
function cluster(clock: FakeClock, beats: () => number[]) {
  const asked: number[] = [];
  return {
    asked,
    leases: {
      othersBeatingWithin: async (seconds: number) => {
        asked.push(seconds);
        return beats().filter((t) => t > clock.monotonicMs() - seconds * 1000).length;
      },
    },
  };
}

describe('isLastNode', () => {
  it('no other node beating within the TTL: last; others and no last will read: not last, without waiting', async () => {
    const clock = new FakeClock(0);
    const c = cluster(clock, () => []);
    assert.equal(await isLastNode({ leases: c.leases, othersByTtl: 0, otherGoneAtMs: undefined, ttlSeconds: TTL, clock }), true);
    assert.equal(await isLastNode({ leases: c.leases, othersByTtl: 1, otherGoneAtMs: undefined, ttlSeconds: TTL, clock }), false);
    await clock.advance(20_000);
    assert.equal(await isLastNode({ leases: c.leases, othersByTtl: 1, otherGoneAtMs: 1000, ttlSeconds: TTL, clock }), false, 'a will older than the TTL: the heartbeats are right');
    assert.deepEqual(c.asked, []);
  });

  it('a node killed a moment ago still looks live: counted again among the nodes that beat since its will', async () => {
    const clock = new FakeClock(0);
    await clock.advance(100_000);
    const killedAtMs = clock.monotonicMs();
    // The killed node's last beat was just before its will; no one else is up.
    const c = cluster(clock, () => [killedAtMs - 500]);
    let last: boolean | undefined;
    void isLastNode({ leases: c.leases, othersByTtl: 1, otherGoneAtMs: killedAtMs, ttlSeconds: TTL, clock }).then((v) => (last = v));
    await settle();
    assert.equal(last, undefined, 'waits for a beat interval after the will');
    await clock.advance((TTL * 1000) / 3 + 1500);
    await settle();
    assert.equal(last, true);
    assert.ok(c.asked[0] * 1000 >= (TTL * 1000) / 3 && c.asked[0] * 1000 <= (TTL * 1000) / 3 + 1500, `window from the will: ${c.asked[0]} s`);
  });

  it('a live node that beats after the will keeps this one from being the last', async () => {
    const clock = new FakeClock(0);
    await clock.advance(100_000);
    const willMs = clock.monotonicMs();
    const beats = [willMs - 500];
    const c = cluster(clock, () => beats);
    const pending = isLastNode({ leases: c.leases, othersByTtl: 2, otherGoneAtMs: willMs, ttlSeconds: TTL, clock });
    await clock.advance(2000);
    beats.push(clock.monotonicMs()); // the live node's beat
    await clock.advance(3000);
    assert.equal(await pending, false);
  });
});
