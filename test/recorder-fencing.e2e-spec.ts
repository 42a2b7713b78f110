// A recorder paused (SIGSTOP) for longer than its lease TTL while a second recorder takes its camera over,
// then resumed (SIGCONT): it writes no row after resuming (the database refused its stale-epoch write,
// counted), it stops the camera at once, and the new owner records on with a recorder_down gap that covers
// exactly the hole. Real processes, one emulated camera, a 3 s lease TTL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './support/recorder-harness';
import { clusterMetric, owners, startNode, type RecorderNode } from './support/recorder-cluster';
import { recorderScenario } from './support/recorder-scenario';

const SETTINGS = { SEGMENT_SECONDS: '2', RECORDER_LEASE_TTL_SECONDS: '3', RECORDER_MOTION: 'off' };

interface Row {
  path: string;
  start_us: number;
  end_us: number;
  state: string;
  node_id: string;
  epoch: number;
  updated_at: Date;
}

describe('recorder cluster: a paused node is fenced', { timeout: 150_000 }, () => {
  const scenario = recorderScenario({ video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });
  const nodes: RecorderNode[] = [];
  scenario.onClose(async () => {
    for (const n of nodes) {
      n.proc.child.kill('SIGCONT');
      await n.proc.stop('SIGKILL').catch(() => undefined);
    }
  });

  it('after SIGCONT the old owner writes nothing, its stale write is refused and counted, and it stops the camera', async () => {
    const { env, cam } = scenario;
    const rows = (): Promise<Row[]> => env.ds.query(`SELECT path, start_us, end_us, state, node_id, epoch, updated_at FROM segments WHERE camera_id = $1 ORDER BY start_us`, [cam.id]);
    const a = await startNode(env, 'node-a', SETTINGS);
    nodes.push(a);
    await eventually(async () => (await rows()).filter((r) => r.node_id === 'node-a' && r.end_us > r.start_us).length >= 2, 40_000, 'node-a recording');
    const b = await startNode(env, 'node-b', SETTINGS);
    nodes.push(b);
    await eventually(async () => (await clusterMetric(b, 'live_nodes')) === 2, 20_000, 'node-b to see node-a');
    assert.equal((await owners(env.ds)).get(cam.id), 'node-a', 'one camera, two nodes: the first keeps it');
    const epochA = (await rows()).find((r) => r.node_id === 'node-a')!.epoch;

    a.proc.child.kill('SIGSTOP');
    await eventually(async () => (await rows()).some((r) => r.node_id === 'node-b' && r.end_us > r.start_us), 30_000, 'node-b to take the camera over');
    const before = await rows();
    const lastOfA = before.filter((r) => r.node_id === 'node-a').at(-1)!;
    const firstOfB = before.find((r) => r.node_id === 'node-b')!;
    assert.ok(firstOfB.epoch > epochA, `the takeover has a newer epoch (${epochA} → ${firstOfB.epoch})`);
    assert.equal(lastOfA.state, 'open', 'node-a was paused in the middle of a segment');

    const resumedAt = new Date();
    a.proc.child.kill('SIGCONT');
    await eventually(async () => (await clusterMetric(a, 'fenced_writes_total')) >= 1, 20_000, 'node-a’s stale write to be refused');
    await a.proc.waitFor(/camera stopped \(unowned\)/, 20_000);
    assert.equal(await clusterMetric(a, 'leases_held'), 0);
    assert.ok((await clusterMetric(a, 'leases_lost_total')) >= 1);
    await eventually(async () => (await rows()).filter((r) => r.node_id === 'node-b').length >= before.filter((r) => r.node_id === 'node-b').length + 2, 30_000, 'node-b recording on');

    const after = await rows();
    const ofA = (rs: Row[]) => rs.filter((r) => r.node_id === 'node-a').map(({ path, start_us, end_us, state, epoch }) => ({ path, start_us, end_us, state, epoch }));
    assert.deepEqual(ofA(after), ofA(before), 'no row of node-a changed after the takeover');
    assert.ok(after.every((r) => r.node_id !== 'node-a' || r.updated_at < resumedAt), 'nothing of node-a written after SIGCONT');
    assert.equal(cam.device.stats.concurrentSessionsMax, 1, 'never two sessions at the camera');
    assert.equal(await clusterMetric(b, 'fenced_writes_total'), 0);

    const gaps: { start_us: number; end_us: number | null; reason: string; node_id: string }[] = await env.ds.query(`SELECT start_us, end_us, reason, node_id FROM gaps WHERE camera_id = $1 ORDER BY start_us`, [cam.id]);
    assert.deepEqual(gaps.map((g) => g.reason), ['recorder_down'], JSON.stringify(gaps));
    assert.equal(gaps[0].start_us, lastOfA.end_us, 'the gap starts where node-a’s indexed footage ends');
    assert.equal(gaps[0].end_us, firstOfB.start_us, 'and ends where node-b’s begins');
    assert.equal(gaps[0].node_id, 'node-b');

    for (const n of [b, a]) assert.equal(await n.proc.stop('SIGTERM'), 0, n.proc.output.slice(-3000));
    assert.deepEqual(await env.ds.query(`SELECT count(*)::int AS n FROM camera_leases WHERE node_id IS NOT NULL`), [{ n: 0 }], 'SIGTERM released every lease');
  });
});
