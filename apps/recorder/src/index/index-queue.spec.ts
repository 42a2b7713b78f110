import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import type { SegmentRecord } from '../segment/segmenter';
import { FakeClock, settle } from '../testing/fake-clock';
import { MemoryRecorderStore } from '../testing/memory-recorder-store';
import { StaleLeaseError, type LeaseToken } from '../cluster/stale-lease.error';
import { IndexQueue } from './index-queue';

const log = createLogger({ level: 'silent' });

function seg(path: string, state: SegmentRecord['state'], endUs = 2_000_000): SegmentRecord {
  return { cameraId: 1, path, startUs: 0, endUs, bytes: endUs / 1000, videoFrames: 10, audioFrames: 0, keyframes: 1, videoCodec: 'avc1', audioCodec: null, width: 1280, height: 720, state };
}

function setup() {
  const clock = new FakeClock();
  const store = new MemoryRecorderStore(() => clock.monotonicMs());
  const queue = new IndexQueue(store, log, 5000, clock);
  return { clock, store, queue };
}

/** drain polls on the queue's clock, so the fake one has to move for it to finish. */
async function drainOn(queue: IndexQueue, clock: FakeClock, timeoutMs: number): Promise<boolean> {
  const done = queue.drain(timeoutMs);
  await clock.advance(timeoutMs + 50);
  return done;
}

/** The store as the lease fence makes it: writes under any epoch but `current` are refused as stale. */
class FencedStore extends MemoryRecorderStore {
  current = 1;
  calls = 0;
  private check(cameraId: number, lease: LeaseToken | undefined): void {
    this.calls++;
    if (lease && lease.epoch !== this.current) throw new StaleLeaseError(cameraId, lease);
  }
  override async upsertSegment(r: SegmentRecord, lease?: LeaseToken): Promise<void> {
    this.check(r.cameraId, lease);
    return super.upsertSegment(r, lease);
  }
  override async upsertGap(g: Parameters<MemoryRecorderStore['upsertGap']>[0], lease?: LeaseToken): Promise<void> {
    this.check(g.cameraId, lease);
    return super.upsertGap(g);
  }
}

describe('IndexQueue', () => {
  it('a write refused as stale under the lease is dropped at once, counted and reported, never retried', async () => {
    const clock = new FakeClock();
    const store = new FencedStore(() => clock.monotonicMs());
    const queue = new IndexQueue(store, log, 5000, clock, { nodeId: 'a', epoch: 1 });
    const fenced: StaleLeaseError[] = [];
    queue.onFenced((e) => fenced.push(e));
    queue.segment(seg('/r/1/a.mp4', 'open'));
    assert.equal(await drainOn(queue, clock, 1000), true);
    assert.deepEqual(store.writes, ['segment /r/1/a.mp4 open']);
    store.current = 2; // another node took the camera over
    queue.segment(seg('/r/1/a.mp4', 'closed', 4_000_000));
    queue.gap({ cameraId: 1, startUs: 4_000_000, endUs: null, reason: 'offline' });
    assert.equal(await drainOn(queue, clock, 1000), true, 'nothing left queued');
    const calls = store.calls;
    await clock.advance(60_000);
    assert.equal(store.calls, calls, 'no retry');
    assert.deepEqual(store.writes, ['segment /r/1/a.mp4 open'], 'neither stale write landed');
    assert.equal(queue.fenced, 2);
    assert.equal(queue.failures, 0, 'not an outage');
    assert.deepEqual(fenced.map((e) => e.lease.epoch), [1, 1]);
  });


  it('writes gaps before events before segments, and a key rewritten while queued only as its newest snapshot', async () => {
    const { clock, store, queue } = setup();
    store.down = true; // hold everything queued so that the order is the queue's, not the callers'
    queue.segment(seg('/r/1/a.mp4', 'open'));
    queue.segment(seg('/r/1/b.mp4', 'open'));
    queue.event({ cameraId: 1, openedStartUs: 5, startUs: 5, endUs: null, peakScore: 0.5, preRollUs: 0, postRollUs: 0 });
    queue.gap({ cameraId: 1, startUs: 100, endUs: null, reason: 'offline' });
    queue.segment(seg('/r/1/a.mp4', 'closed'));
    queue.gap({ cameraId: 1, startUs: 100, endUs: 200, reason: 'offline' });
    await settle();
    assert.equal(queue.pending, 4);
    store.down = false;
    assert.equal(await drainOn(queue, clock, 1000), true);
    // a's close replaced its open snapshot before anything was written: b (unchanged) goes first.
    assert.deepEqual(store.writes, ['gap 100 closed', 'event 5 open', 'segment /r/1/b.mp4 open', 'segment /r/1/a.mp4 closed']);
    assert.equal(queue.written, 4);
  });

  it('activity goes last, survives an outage, and a minute rewritten while queued is written once, as its newest snapshot', async () => {
    const { clock, store, queue } = setup();
    store.down = true;
    const minute = (minuteUs: number, n: number) => ({ cameraId: 1, minuteUs, entries: new Uint8Array(3 * n), maxLevel: 0 });
    queue.activity(minute(60_000_000, 3));
    queue.segment(seg('/r/1/a.mp4', 'open'));
    queue.activity(minute(120_000_000, 1));
    queue.activity(minute(60_000_000, 5));
    await settle();
    await clock.advance(3000); // retries while the database is down
    assert.equal(queue.pending, 3);
    assert.ok(store.refused > 1);
    store.down = false;
    assert.equal(await drainOn(queue, clock, 6000), true);
    assert.deepEqual(store.writes, ['segment /r/1/a.mp4 open', 'activity 60000000 5', 'activity 120000000 1']);
  });

  it('a snapshot queued while its older one is being written is written after it, so the newest lands last', async () => {
    const { clock, store, queue } = setup();
    queue.segment(seg('/r/1/a.mp4', 'open')); // the loop takes it at once
    queue.segment(seg('/r/1/a.mp4', 'closed', 4_000_000));
    assert.equal(await drainOn(queue, clock, 1000), true);
    assert.deepEqual(store.writes, ['segment /r/1/a.mp4 open', 'segment /r/1/a.mp4 closed']);
    assert.equal(store.segments.get('/r/1/a.mp4')?.endUs, 4_000_000);
  });

  it('through an outage retries with doubling backoff up to its cap, then writes everything exactly once', async () => {
    const { clock, store, queue } = setup();
    store.down = true;
    queue.gap({ cameraId: 1, startUs: 100, endUs: null, reason: 'offline' });
    queue.segment(seg('/r/1/a.mp4', 'closed'));
    queue.segment(seg('/r/1/b.mp4', 'closed'));
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [next] = clock.pendingTimeouts;
      delays.push(next);
      await clock.advance(next);
    }
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
    assert.equal(store.refused, 8); // the first attempt and seven retries
    assert.equal(queue.failures, 8);
    assert.equal(queue.pending, 3);
    assert.deepEqual(store.writes, []);

    store.down = false;
    await clock.advance(5000);
    assert.deepEqual(store.writes, ['gap 100 open', 'segment /r/1/a.mp4 closed', 'segment /r/1/b.mp4 closed']);
    assert.equal(queue.pending, 0);
    assert.equal(queue.failures, 0);
    assert.deepEqual(clock.pendingTimeouts, [], 'an idle queue leaves no timer behind');

    // The backoff started again: one failure after recovery waits the first delay, not the cap.
    store.down = true;
    queue.segment(seg('/r/1/c.mp4', 'open'));
    await settle();
    assert.deepEqual(clock.pendingTimeouts, [250]);
  });

  it('writes queued during an outage are not lost when the outage outlasts many retries', async () => {
    const { clock, store, queue } = setup();
    store.down = true;
    const paths = Array.from({ length: 20 }, (_, i) => `/r/1/${i}.mp4`);
    for (const [i, p] of paths.entries()) {
      queue.segment(seg(p, 'open'));
      await clock.advance(1000 * i); // arrivals spread across the outage, some during a backoff
    }
    queue.segment(seg(paths[0], 'closed'));
    await clock.advance(60_000);
    store.down = false;
    await clock.advance(5000);
    assert.equal(queue.pending, 0);
    assert.equal(store.segments.size, 20);
    assert.equal(store.segments.get(paths[0])?.state, 'closed');
    // Nothing was written twice: one write per path, the first path's newest snapshot only.
    assert.equal(store.writes.length, 20);
    assert.equal(new Set(store.writes).size, 20);
  });

  it('drain resolves at once when nothing is queued', async () => {
    const { queue } = setup();
    assert.equal(await queue.drain(1000), true);
  });

  it('drain retries without waiting out the backoff, and answers false when its time runs out first', async () => {
    const { clock, store, queue } = setup();
    store.down = true;
    queue.segment(seg('/r/1/a.mp4', 'closed'));
    await clock.advance(20_000); // the backoff is at its 5 s cap by now
    const refusedBefore = store.refused;
    let result: boolean | undefined;
    void queue.drain(1000).then((r) => (result = r));
    await clock.advance(500);
    assert.equal(result, undefined);
    assert.ok(store.refused - refusedBefore >= 5, `drain woke the retry every poll (${store.refused - refusedBefore} attempts in 500 ms)`);
    await clock.advance(600);
    assert.equal(result, false);
    assert.equal(queue.pending, 1, 'a drain that timed out keeps the write queued');

    store.down = false;
    void queue.drain(1000).then((r) => (result = r));
    await clock.advance(100);
    assert.equal(result, true);
    assert.deepEqual(store.writes, ['segment /r/1/a.mp4 closed']);
  });

  it('stop during an outage ends the retries at once and keeps what is pending unwritten', async () => {
    const { clock, store, queue } = setup();
    store.down = true;
    queue.segment(seg('/r/1/a.mp4', 'closed'));
    await clock.advance(300);
    queue.stop();
    await settle();
    assert.deepEqual(clock.pendingTimeouts, [], 'no retry timer is left to keep the process alive');
    const refused = store.refused;
    store.down = false;
    queue.segment(seg('/r/1/b.mp4', 'closed'));
    await clock.advance(60_000);
    // Reconcile indexes these files at the next start: a stopped queue writes nothing more.
    assert.equal(store.refused, refused);
    assert.deepEqual(store.writes, []);
    assert.equal(queue.pending, 2);
  });
});
