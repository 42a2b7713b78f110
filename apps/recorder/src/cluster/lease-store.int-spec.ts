// Camera leases and the fence on a real PostgreSQL: acquisition is race-free between nodes, renewal keeps a
// lease, a lapsed lease is taken over with the next epoch, release frees it at once, and the database
// refuses a segment, gap or event written under a stale epoch (StaleLeaseError) while accepting the owner's.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { migratedDatabase, type MigratedDatabase } from '../../../../test/support/recorder-harness';
import { PgRecorderStore } from '../index/recorder-store';
import type { SegmentRecord } from '../segment/segmenter';
import { PgLeaseStore, type CameraLease } from './lease-store';
import { StaleLeaseError } from './stale-lease.error';

const T0 = 1_700_000_000_000_000;
/** Long enough not to lapse during a test step. */
const TTL = 30;
/** Short enough to lapse on purpose. */
const SHORT_TTL = 0.3;

describe('camera leases on PostgreSQL', () => {
  let database: MigratedDatabase;
  let leases: PgLeaseStore;
  let store: PgRecorderStore;
  let cameras: number[];

  before(async () => {
    database = await migratedDatabase('wyze_nvr_leases');
    leases = new PgLeaseStore(database.ds);
    store = new PgRecorderStore(database.ds);
  });
  after(() => database?.close());

  beforeEach(async () => {
    await database.ds.query(`DELETE FROM segments; DELETE FROM gaps; DELETE FROM events; DELETE FROM camera_leases; DELETE FROM recorder_nodes; DELETE FROM cameras`);
    cameras = [];
    for (let i = 0; i < 6; i++) {
      const rows: { id: number }[] = await database.ds.query(
        `INSERT INTO cameras (name, uid, enr_encrypted, mac, model, enabled) VALUES ($1, $2, 'v1:opaque', $3, 'WYZE_CAKP2JFUS', $4) RETURNING id`,
        [`cam${i}`, `UID${i}`.padEnd(20, 'X'), `AABBCC00000${i}`, i < 5],
      );
      cameras.push(rows[0].id);
    }
  });

  const leaseRow = async (cameraId: number): Promise<{ node_id: string | null; epoch: number }> =>
    ((await database.ds.query(`SELECT node_id, epoch FROM camera_leases WHERE camera_id = $1`, [cameraId])) as { node_id: string | null; epoch: number }[])[0];

  const segment = (cameraId: number, startUs: number, state: SegmentRecord['state'] = 'open'): SegmentRecord => ({
    cameraId, path: `/rec/${cameraId}/${startUs}.mp4`, startUs, endUs: startUs + 1_000_000, bytes: 100, videoFrames: 15, audioFrames: 0,
    keyframes: 1, videoCodec: 'avc1.640028', audioCodec: null, width: 1920, height: 1080, state,
  });

  test('heartbeat counts live nodes and enabled cameras; a silent node stops counting after the TTL', async () => {
    await leases.register('a', 'http://a:1', 'host-a');
    await leases.register('b', 'http://b:1', 'host-b');
    assert.deepEqual(await leases.heartbeat('b', TTL), { liveNodes: 2, enabledCameras: 5, leadNodeId: 'a' });
    await delay(400);
    assert.deepEqual(await leases.heartbeat('b', SHORT_TTL), { liveNodes: 1, enabledCameras: 5, leadNodeId: 'b' }, 'a did not beat for longer than the TTL');
    await leases.deregister('b');
    assert.deepEqual((await database.ds.query(`SELECT id FROM recorder_nodes`)) as unknown[], [{ id: 'a' }]);
  });

  test('two nodes racing for every camera: each enabled camera goes to exactly one, at epoch 1; disabled ones to none', async () => {
    for (let round = 0; round < 5; round++) {
      await database.ds.query(`DELETE FROM camera_leases`);
      const [a, b] = await Promise.all([leases.acquire('a', [], 10, TTL), leases.acquire('b', [], 10, TTL)]);
      const all = [...a, ...b].map((l) => l.cameraId).sort((x, y) => x - y);
      assert.deepEqual(all, cameras.slice(0, 5), `round ${round}: every enabled camera once (a ${a.length}, b ${b.length})`);
      assert.ok([...a, ...b].every((l) => l.epoch === 1));
    }
  });

  test('acquire honours the limit and the exclusions, and never takes a live lease of another node', async () => {
    const a = await leases.acquire('a', [cameras[0]], 2, TTL);
    assert.equal(a.length, 2);
    assert.ok(!a.some((l) => l.cameraId === cameras[0]));
    const b = await leases.acquire('b', [], 10, TTL);
    assert.equal(b.length, 3, 'only the three cameras a does not hold');
    assert.deepEqual(await leases.acquire('c', [], 10, TTL), []);
  });

  test('renew keeps a lease past its first TTL; a lapsed lease is taken over with the next epoch and the old owner cannot renew it', async () => {
    const [a] = await leases.acquire('a', cameras.slice(1), 1, SHORT_TTL);
    assert.equal(a.cameraId, cameras[0]);
    for (let i = 0; i < 4; i++) {
      await delay(150);
      assert.deepEqual(await leases.renew('a', [a], SHORT_TTL), [a.cameraId]);
      assert.deepEqual(await leases.acquire('b', cameras.slice(1), 1, TTL), [], 'renewed: not takeable');
    }
    await delay(400);
    const [b] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    assert.deepEqual(b, { cameraId: a.cameraId, nodeId: 'b', epoch: 2 });
    assert.deepEqual(await leases.renew('a', [a], TTL), [], 'a lost it');
    assert.deepEqual(await leases.renew('b', [b], TTL), [b.cameraId]);
    assert.deepEqual(await leaseRow(a.cameraId), { node_id: 'b', epoch: 2 });
  });

  test('release frees a lease at once (only with its own epoch); a restarted node takes its own leases back at once', async () => {
    const [a] = await leases.acquire('a', cameras.slice(1), 1, TTL);
    await leases.release('b', [a]);
    await leases.release('a', [{ ...a, epoch: a.epoch + 5 }]);
    assert.deepEqual(await leases.acquire('b', cameras.slice(1), 1, TTL), [], 'still a’s: wrong node and wrong epoch released nothing');
    await leases.release('a', [a]);
    assert.deepEqual(await leaseRow(a.cameraId), { node_id: null, epoch: 1 });
    const [b] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    assert.equal(b.epoch, 2);
    const [again] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    assert.deepEqual(again, { cameraId: b.cameraId, nodeId: 'b', epoch: 3 }, 'same node id, as after a restart: taken back, next epoch');
  });

  test('the fence: the owner writes segments, gaps and events; after a takeover the old epoch is refused (insert and update) and nothing of it lands', async () => {
    const [a] = await leases.acquire('a', cameras.slice(1), 1, SHORT_TTL);
    const cam = a.cameraId;
    await store.upsertSegment(segment(cam, T0), a);
    await store.upsertGap({ cameraId: cam, startUs: T0 - 5_000_000, endUs: null, reason: 'recorder_down' }, a);
    await store.upsertEvent({ cameraId: cam, openedStartUs: T0, startUs: T0, endUs: null, peakScore: 1, preRollUs: 0, postRollUs: 0 }, a);
    await delay(400);
    // Lapsed but nobody took it: still a's (a lone recorder keeps indexing after a long database outage).
    await store.upsertSegment({ ...segment(cam, T0), endUs: T0 + 1_500_000 }, a);

    const [b] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    assert.equal(b.epoch, a.epoch + 1);
    const refused = async (what: string, write: () => Promise<unknown>) => {
      await assert.rejects(write, (e: unknown) => e instanceof StaleLeaseError && e.cameraId === cam && e.lease.epoch === a.epoch, what);
    };
    await refused('update of its open segment', () => store.upsertSegment({ ...segment(cam, T0, 'closed'), endUs: T0 + 2_000_000 }, a));
    await refused('a new segment', () => store.upsertSegment(segment(cam, T0 + 2_000_000), a));
    await refused('closing its gap', () => store.upsertGap({ cameraId: cam, startUs: T0 - 5_000_000, endUs: T0, reason: 'recorder_down' }, a));
    await refused('a new gap', () => store.upsertGap({ cameraId: cam, startUs: T0 + 3_000_000, endUs: null, reason: 'offline' }, a));
    await refused('ending its event', () => store.upsertEvent({ cameraId: cam, openedStartUs: T0, startUs: T0, endUs: T0 + 1_000_000, peakScore: 1, preRollUs: 0, postRollUs: 0 }, a));
    await refused('a new event', () => store.upsertEvent({ cameraId: cam, openedStartUs: T0 + 9_000_000, startUs: T0 + 9_000_000, endUs: null, peakScore: 1, preRollUs: 0, postRollUs: 0 }, a));
    // The same node id restarted (as after kill -9): the dead process's epoch is refused too.
    const [b2] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    assert.deepEqual(b2, { ...b, epoch: b.epoch + 1 });
    await assert.rejects(() => store.upsertSegment(segment(cam, T0 + 5_000_000), b), StaleLeaseError, 'the previous process of the same node');
    const forged: CameraLease = { ...b2, nodeId: 'a' };
    await assert.rejects(() => store.upsertSegment(segment(cam, T0 + 4_000_000), forged), StaleLeaseError, 'the current epoch under another node id');

    const segs: { end_us: number; state: string; node_id: string; epoch: number }[] = await database.ds.query(`SELECT end_us, state, node_id, epoch FROM segments WHERE camera_id = $1`, [cam]);
    assert.deepEqual(segs, [{ end_us: T0 + 1_500_000, state: 'open', node_id: 'a', epoch: a.epoch }], 'the stale writes changed nothing');
    assert.deepEqual(await database.ds.query(`SELECT end_us FROM gaps WHERE camera_id = $1`, [cam]), [{ end_us: null }]);
    assert.deepEqual(await database.ds.query(`SELECT end_us FROM events WHERE camera_id = $1`, [cam]), [{ end_us: null }]);

    // The new owner closes what the old one left open, and writes its own rows.
    await store.upsertGap({ cameraId: cam, startUs: T0 - 5_000_000, endUs: T0 + 12_000_000, reason: 'recorder_down' }, b2);
    await store.upsertSegment(segment(cam, T0 + 12_000_000), b2);
    assert.deepEqual(await database.ds.query(`SELECT end_us, node_id, epoch FROM gaps WHERE camera_id = $1`, [cam]), [{ end_us: T0 + 12_000_000, node_id: 'b', epoch: b2.epoch }]);
    // Writes without a lease (reconcile, the API) are not fenced and keep the row's node and epoch.
    await store.markMissing([segment(cam, T0).path]);
    await store.upsertSegment({ ...segment(cam, T0, 'closed'), endUs: T0 + 1_600_000 });
    await database.ds.query(`UPDATE events SET protected = true WHERE camera_id = $1`, [cam]);
    assert.deepEqual(await database.ds.query(`SELECT end_us, state, node_id, epoch FROM segments WHERE path = $1`, [segment(cam, T0).path]), [
      { end_us: T0 + 1_600_000, state: 'closed', node_id: 'a', epoch: a.epoch },
    ]);
  });

  test('a stale write racing a takeover: either it lands before the takeover or it is refused, never after it', async () => {
    for (let round = 0; round < 10; round++) {
      await database.ds.query(`DELETE FROM segments; DELETE FROM camera_leases`);
      const [a] = await leases.acquire('a', cameras.slice(1), 1, TTL);
      await database.ds.query(`UPDATE camera_leases SET expires_at = now() WHERE camera_id = $1`, [a.cameraId]);
      const write = store.upsertSegment(segment(a.cameraId, T0 + round), a).then(() => 'written' as const, (e: unknown) => (e instanceof StaleLeaseError ? ('refused' as const) : Promise.reject(e)));
      const [taken] = await leases.acquire('b', cameras.slice(1), 1, TTL);
      const outcome = await write;
      assert.equal(taken.epoch, 2);
      const rows: { epoch: number }[] = await database.ds.query(`SELECT epoch FROM segments WHERE camera_id = $1`, [a.cameraId]);
      assert.equal(rows.length, outcome === 'written' ? 1 : 0, `round ${round}: ${outcome}`);
    }
  });
  test('moveGapStart (reconcile after a takeover) moves the gap that starts there, not past its end, without the fence', async () => {
    const [b] = await leases.acquire('b', cameras.slice(1), 1, TTL);
    const cam = b.cameraId;
    await store.upsertGap({ cameraId: cam, startUs: T0, endUs: T0 + 10_000_000, reason: 'recorder_down' }, b);
    await store.moveGapStart(cam, T0 + 1, T0 + 500_000);
    await store.moveGapStart(cam, T0, T0 + 11_000_000);
    assert.deepEqual(await database.ds.query(`SELECT start_us FROM gaps WHERE camera_id = $1`, [cam]), [{ start_us: T0 }], 'neither another start nor past the end');
    await store.moveGapStart(cam, T0, T0 + 1_500_000);
    assert.deepEqual(await database.ds.query(`SELECT start_us, node_id FROM gaps WHERE camera_id = $1`, [cam]), [{ start_us: T0 + 1_500_000, node_id: 'b' }]);
  });
});
