import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import type { StoredCamera } from '../index/recorder-store';
import { FakeClock } from '../testing/fake-clock';
import { MemoryLeaseStore } from '../testing/memory-lease-store';
import { CameraLeases } from './camera-leases';
import type { CameraLease, LeaseStore } from './lease-store';

const TTL = 10;
const logger = createLogger({ level: 'silent' });

function camera(id: number, enabled = true): StoredCamera {
  return { id, name: `cam${id}`, uid: `UID${id}`.padEnd(20, 'X'), enrEncrypted: 'v1:x', mac: `AA${id}`, ip: null, port: null, model: 'WYZE_CAKP2JFUS', quality: 'hd', enabled };
}

/** One node's view of the shared store, which it may lose (a partition) while the others keep it. */
function partitioned(inner: LeaseStore): LeaseStore & { down: boolean } {
  const s = {
    down: false,
    call<T>(f: () => Promise<T>): Promise<T> {
      return s.down ? Promise.reject(new Error('connect ETIMEDOUT')) : f();
    },
    register: (n: string, u: string | null, h: string) => s.call(() => inner.register(n, u, h)),
    heartbeat: (n: string, t: number) => s.call(() => inner.heartbeat(n, t)),
    renew: (n: string, l: readonly CameraLease[], t: number) => s.call(() => inner.renew(n, l, t)),
    acquire: (n: string, e: readonly number[], l: number, t: number) => s.call(() => inner.acquire(n, e, l, t)),
    release: (n: string, l: readonly CameraLease[]) => s.call(() => inner.release(n, l)),
    deregister: (n: string) => s.call(() => inner.deregister(n)),
  };
  return s;
}

/** A node as the Recorder drives CameraLeases: a sync claims, then stops (and releases) what is not held. */
function cluster(cameras: StoredCamera[]) {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(() => cameras, () => clock.monotonicMs());
  const node = (id: string) => {
    const store = partitioned(shared);
    const running = new Map<number, CameraLease>();
    // A handover waits for the camera's segment boundary (here: 500 ms later).
    const onHandover = (ids: number[]) => void clock.setTimeout(() => ids.forEach((cam) => leases.handedOver(cam)), 500);
    const leases: CameraLeases = new CameraLeases({ store, nodeId: id, hostname: 'h', ttlSeconds: TTL, clock, logger, onChange: () => void sync(), onHandover });
    const sync = async () => {
      await leases.claim(cameras, [...running.keys()]).catch(() => undefined);
      for (const [cam, lease] of [...running]) {
        if (leases.holds(cam)) continue;
        running.delete(cam);
        await leases.release(lease).catch(() => undefined);
      }
      for (const cam of leases.heldIds) if (!running.has(cam)) running.set(cam, { cameraId: cam, ...leases.token(cam)! });
    };
    return { leases, store, running, sync, start: async () => (await leases.start(null), await sync()) };
  };
  return { clock, shared, node };
}

describe('CameraLeases', () => {
  it('a node alone takes every enabled camera; a second node gets half, handed over by the first at once', async () => {
    const cams = [1, 2, 3, 4, 5].map((i) => camera(i, i !== 5));
    const { clock, shared, node } = cluster(cams);
    const a = node('a');
    await a.start();
    assert.deepEqual([...a.running.keys()].sort(), [1, 2, 3, 4]);
    const b = node('b');
    await b.start();
    assert.equal(b.running.size, 0, 'nothing free yet');
    await clock.advance(4000); // a's beat sees two live nodes: over its share of 2, it hands 2 over; b takes them
    await clock.advance(4000);
    assert.equal(a.running.size, 2);
    assert.equal(b.running.size, 2);
    assert.deepEqual([...a.running.keys(), ...b.running.keys()].sort(), [1, 2, 3, 4]);
    for (const [cam, lease] of b.running) assert.equal(shared.leases.get(cam)?.epoch, lease.epoch);
    assert.ok([...b.running.values()].every((l) => l.epoch === 2), 'a handed-over lease is the next epoch');
  });

  it('a node cut off from the database lets its cameras go before their leases lapse; the other takes them only after', async () => {
    const cams = [1, 2].map((i) => camera(i));
    const { clock, shared, node } = cluster(cams);
    const a = node('a');
    const b = node('b');
    await a.start();
    await b.start();
    await clock.advance(8000);
    assert.equal(a.running.size, 1);
    assert.equal(b.running.size, 1);
    const [aCam] = a.running.keys();
    a.store.down = true;
    const cutAt = clock.monotonicMs();
    let letGoAt: number | undefined;
    let takenAt: number | undefined;
    while (clock.monotonicMs() - cutAt < 20_000) {
      await clock.advance(500);
      if (letGoAt === undefined && !a.leases.holds(aCam)) letGoAt = clock.monotonicMs();
      if (takenAt === undefined && b.running.has(aCam)) takenAt = clock.monotonicMs();
    }
    assert.ok(letGoAt !== undefined && takenAt !== undefined, 'let go and taken over');
    assert.ok(letGoAt < takenAt, `let go at +${letGoAt - cutAt} ms, before taken at +${takenAt - cutAt} ms`);
    assert.ok(takenAt - cutAt <= TTL * 1000 + 5000, 'taken over within TTL + a beat');
    assert.equal(shared.leases.get(aCam)?.nodeId, 'b');
    assert.equal(a.leases.stats.lost, 1);
  });

  it('a node that last saw itself alone keeps its cameras through an outage longer than the TTL', async () => {
    const { clock, node } = cluster([camera(1), camera(2)]);
    const a = node('a');
    await a.start();
    a.store.down = true;
    await clock.advance(30_000);
    assert.deepEqual(a.leases.heldIds, [1, 2]);
    a.store.down = false;
    await clock.advance(4000);
    assert.deepEqual(a.leases.heldIds, [1, 2], 'renewed: nobody took them');
    assert.equal(a.leases.stats.lost, 0);
  });

  it('mayTalk: yes while surely held; no from the moment a paused process may have lost the lease (before any timer ran), for good', async () => {
    const { clock, node } = cluster([camera(1), camera(2)]);
    const a = node('a');
    const b = node('b');
    await a.start();
    await b.start();
    await clock.advance(8000);
    const [cam, lease] = [...a.running][0];
    assert.ok(a.leases.mayTalk(lease));
    clock.pause(TTL * 1000); // SIGSTOP … SIGCONT: the beat has not run yet
    assert.equal(a.leases.mayTalk(lease), false, 'past its deadline with another node live: silent at once');
    assert.ok(!a.leases.holds(cam), 'and the lease is let go');
    assert.equal(a.leases.stats.lost, 1);
    await clock.advance(4000);
    assert.equal(a.leases.mayTalk(lease), false, 'still silent, whatever the beats say afterwards');
    assert.equal(a.leases.mayTalk({ ...lease, epoch: lease.epoch + 5 }), true, 'another epoch is another lease');
  });

  it('mayTalk: a camera let go here (disabled, handed over) may still be closed politely until it is released', async () => {
    const cams = [camera(1), camera(2)];
    const { node } = cluster(cams);
    const a = node('a');
    await a.start();
    const lease = a.running.get(1)!;
    await a.leases.claim([camera(1, false), camera(2)], [1, 2]);
    assert.ok(!a.leases.holds(1), 'let go');
    assert.ok(!a.leases.surelyHolds(lease), 'nothing more is written');
    assert.ok(a.leases.mayTalk(lease), 'but the session may say goodbye');
  });

  it('a fenced write of the current lease counts and lets the camera go; one of an older epoch only counts', async () => {
    const { node } = cluster([camera(1)]);
    const a = node('a');
    await a.start();
    const lease = a.running.get(1)!;
    a.leases.fenced({ ...lease, epoch: lease.epoch - 1 });
    assert.ok(a.leases.holds(1));
    a.leases.fenced(lease);
    assert.ok(!a.leases.holds(1));
    assert.deepEqual(a.leases.stats, { acquired: 1, released: 0, lost: 1, fencedWrites: 2 });
  });

  it('stop releases every lease and the node row: another node takes them at once', async () => {
    const { node } = cluster([camera(1), camera(2)]);
    const a = node('a');
    await a.start();
    await a.leases.stop();
    const b = node('b');
    await b.start();
    assert.deepEqual([...b.running.keys()].sort(), [1, 2]);
  });
});
