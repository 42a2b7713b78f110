// GET /recorders and the owner in GET /cameras, over the lease and node rows the recorders write
// (PgLeaseStore, the recorder's own SQL): nodes with their heartbeat and the cameras they hold; a lapsed
// or released lease is no owner.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PgLeaseStore } from '../apps/recorder/src/cluster/lease-store';
import { addCamera, startTestApi, type TestApi } from './support/api';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

interface NodeBody {
  id: string;
  hostname: string;
  url: string | null;
  startedAt: string;
  heartbeatAt: string;
  live: boolean;
  cameraIds: number[];
}
interface CameraBody {
  id: number;
  owner: { nodeId: string; epoch: number; leaseExpiresAt: string } | null;
}

test('recorders with their heartbeat and cameras; each camera’s owner, none once its lease is released', async () => {
  const leases = new PgLeaseStore(api.ds);
  const cams = [await addCamera(api.ds, 1), await addCamera(api.ds, 2), await addCamera(api.ds, 3)];
  assert.deepEqual((await api.json<{ items: NodeBody[] }>('GET', '/recorders')).body, { items: [] });

  await leases.register('rec-a', 'http://10.0.0.1:9464', 'host-a');
  await leases.register('rec-b', null, 'host-b');
  const before = Date.now();
  await leases.heartbeat('rec-a', 10);
  const heldA = await leases.acquire('rec-a', [cams[2].id], 2, 60);
  const heldB = await leases.acquire('rec-b', [], 5, 60);
  assert.deepEqual(heldB.map((l) => l.cameraId), [cams[2].id]);

  const res = await api.json<{ items: NodeBody[] }>('GET', '/recorders');
  assert.equal(res.status, 200);
  const [a, b] = res.body.items;
  assert.deepEqual([a.id, a.hostname, a.url, a.live], ['rec-a', 'host-a', 'http://10.0.0.1:9464', true]);
  assert.deepEqual(a.cameraIds, [cams[0].id, cams[1].id]);
  assert.deepEqual([b.id, b.url, b.cameraIds], ['rec-b', null, [cams[2].id]]);
  assert.match(a.heartbeatAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(Date.parse(a.heartbeatAt) >= before - 1000);

  const listed = await api.json<{ items: CameraBody[] }>('GET', '/cameras');
  const owner = new Map(listed.body.items.map((c) => [c.id, c.owner]));
  assert.equal(owner.get(cams[0].id)?.nodeId, 'rec-a');
  assert.equal(owner.get(cams[0].id)?.epoch, heldA[0].epoch);
  assert.ok(Date.parse(owner.get(cams[0].id)!.leaseExpiresAt) > Date.now() + 30_000);
  assert.equal(owner.get(cams[2].id)?.nodeId, 'rec-b');

  await leases.release('rec-a', heldA);
  await api.ds.query(`UPDATE recorder_nodes SET heartbeat_at = now() - interval '1 minute' WHERE id = 'rec-b'`);
  const one = await api.json<CameraBody>('GET', `/cameras/${cams[0].id}`);
  assert.equal(one.body.owner, null, 'released: no owner');
  const after = (await api.json<{ items: NodeBody[] }>('GET', '/recorders')).body.items;
  assert.deepEqual(after.map((n) => [n.id, n.live, n.cameraIds.length]), [['rec-a', true, 0], ['rec-b', false, 1]]);
});
