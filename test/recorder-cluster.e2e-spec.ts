// Three recorder processes, twelve emulated cameras, one PostgreSQL database, on loopback: every camera
// recorded, spread 4/4/4; kill -9 one node → its cameras are recorded by the others within 20 s, with
// recorder_down gaps covering the hole; restart it → 4/4/4 again within 30 s, handed over at segment
// boundaries (handover gaps after full-length files). Across the whole run, per
// camera: no overlapping segments, never two sessions at once at the emulator, every file decodes, and
// rows == files (over the three nodes' RECORDINGS_DIRs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErrors, emulatedCamera, eventually, recorderTestEnv, type EmulatedCamera, type RecorderTestEnv } from './support/recorder-harness';
import { clusterSegmentFiles, owners, startNode, type RecorderNode } from './support/recorder-cluster';

const CAMERAS = 12;
// 360p and 4 s segments: twelve cameras on three nodes and every file decoded stay light enough for CI's two
// test files at once on two cores.
const SETTINGS = { SEGMENT_SECONDS: '4', RECORDER_MOTION: 'off', RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '0' };

interface Row {
  camera_id: number;
  path: string;
  start_us: number;
  end_us: number;
  state: string;
  node_id: string | null;
}

const countBy = (m: Map<number, string>): Map<string, number> => {
  const out = new Map<string, number>();
  for (const n of m.values()) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
};

describe('recorder cluster: three nodes, twelve cameras', { timeout: 400_000 }, () => {
  it('records every camera, takes a killed node’s cameras over, rebalances on its return; one session per camera; rows == files', async (t) => {
    const env: RecorderTestEnv = await recorderTestEnv();
    const cams: EmulatedCamera[] = [];
    const nodes = new Map<string, RecorderNode>();
    const allNodes: RecorderNode[] = [];
    t.after(async () => {
      for (const n of nodes.values()) await n.proc.stop('SIGKILL').catch(() => undefined);
      cams.forEach((c) => c.close());
      await env.close();
    });
    for (let i = 0; i < CAMERAS; i++) cams.push(await emulatedCamera(env, { video: 'h264', videoFile: 'h264-360p20.h264', audio: 'none' }, { durationUs: 3_600_000_000 }));
    const rows = (): Promise<Row[]> => env.ds.query(`SELECT camera_id, path, start_us, end_us, state, node_id FROM segments ORDER BY camera_id, start_us`);
    const start = async (name: string) => {
      const n = await startNode(env, name, SETTINGS);
      nodes.set(name, n);
      allNodes.push(n);
    };
    for (const name of ['node-a', 'node-b', 'node-c']) await start(name);

    const balanced = async () => {
      const by = countBy(await owners(env.ds));
      return [...nodes.keys()].every((n) => by.get(n) === CAMERAS / nodes.size);
    };
    await eventually(balanced, 60_000, 'the cameras spread 4/4/4');
    await eventually(async () => {
      const [rs, o] = [await rows(), await owners(env.ds)];
      // By its current owner: a camera handed over at the start has footage from the node it went to.
      return cams.every((c) => rs.some((r) => r.camera_id === c.id && r.node_id === o.get(c.id) && r.end_us > r.start_us));
    }, 60_000, 'every camera recorded by its owner');

    const victim = nodes.get('node-c')!;
    const lost = [...(await owners(env.ds))].filter(([, n]) => n === 'node-c').map(([id]) => id);
    assert.equal(lost.length, 4);
    victim.proc.child.kill('SIGKILL');
    await victim.proc.exited;
    nodes.delete('node-c');
    const killedUs = Date.now() * 1000;
    await eventually(async () => {
      const rs = await rows();
      return lost.every((id) => rs.some((r) => r.camera_id === id && r.node_id !== 'node-c' && r.start_us > killedUs && r.end_us > r.start_us));
    }, 20_000, 'the killed node’s cameras recorded by the others');
    const after = countBy(await owners(env.ds));
    assert.deepEqual([after.get('node-a'), after.get('node-b')], [6, 6]);

    const restartUs = Date.now() * 1000;
    await start('node-c');
    await eventually(balanced, 30_000, 'rebalanced after node-c returned');
    const backUs = Date.now() * 1000;
    await eventually(async () => {
      const rs = await rows();
      const mine = new Set(rs.filter((r) => r.node_id === 'node-c' && r.start_us > backUs && r.end_us > r.start_us).map((r) => r.camera_id));
      return mine.size === 4;
    }, 30_000, 'node-c recording its share again');

    for (const [name, n] of nodes) assert.equal(await n.proc.stop('SIGTERM'), 0, `${name}: ${n.proc.output.slice(-3000)}`);
    nodes.clear();

    const all = await rows();
    for (const c of cams) {
      const rs = all.filter((r) => r.camera_id === c.id);
      assert.ok(rs.length > 0, `camera ${c.id} recorded`);
      for (let i = 1; i < rs.length; i++) assert.ok(rs[i].start_us >= rs[i - 1].end_us, `camera ${c.id}: segment ${i} does not overlap the one before`);
      assert.equal(c.device.stats.concurrentSessionsMax, 1, `camera ${c.id}: never two sessions at once`);
      assert.equal(c.device.stats.sessionsOverlapped, 0);
    }
    assert.ok(all.every((r) => r.state === 'closed'), JSON.stringify(all.filter((r) => r.state !== 'closed').slice(0, 3)));
    assert.deepEqual(all.map((r) => r.path).sort(), clusterSegmentFiles(allNodes), 'rows == files');
    for (const r of all) assert.equal(decodeErrors(r.path), '', r.path);

    const gaps: { camera_id: number; start_us: number; end_us: number | null; reason: string }[] = await env.ds.query(`SELECT camera_id, start_us, end_us, reason FROM gaps ORDER BY camera_id, start_us`);
    for (const id of lost) {
      const g = gaps.filter((x) => x.camera_id === id && x.start_us < killedUs && (x.end_us ?? Infinity) > killedUs);
      assert.equal(g.length, 1, `camera ${id}: one gap over the kill: ${JSON.stringify(gaps.filter((x) => x.camera_id === id))}`);
      assert.equal(g[0].reason, 'recorder_down');
    }
    // Every gap (the takeover's, and the handovers' when a node joins) covers exactly a hole in the footage.
    for (const g of gaps) {
      const rs = all.filter((r) => r.camera_id === g.camera_id);
      assert.ok(rs.some((r) => r.start_us === g.end_us), `gap ${JSON.stringify(g)} ends where footage resumes`);
      const before = rs.filter((r) => r.start_us < g.start_us);
      if (before.length) assert.equal(Math.max(...before.map((r) => r.end_us)), g.start_us, `gap ${JSON.stringify(g)} starts where footage stopped`);
    }
    // The rebalance handed node-c its share at segment boundaries: each camera it took back has one `handover`
    // gap, after a last file of full length (SEGMENT_SECONDS), not one cut short.
    const tookBack = new Set(all.filter((r) => r.node_id === 'node-c' && r.start_us > restartUs).map((r) => r.camera_id));
    assert.equal(tookBack.size, 4);
    for (const id of tookBack) {
      const g = gaps.filter((x) => x.camera_id === id && x.start_us >= restartUs && x.reason === 'handover');
      assert.equal(g.length, 1, `camera ${id}: one handover gap: ${JSON.stringify(gaps.filter((x) => x.camera_id === id && x.start_us >= restartUs))}`);
      const last = all.find((r) => r.camera_id === id && r.end_us === g[0].start_us)!;
      assert.ok(last.end_us - last.start_us >= Number(SETTINGS.SEGMENT_SECONDS) * 1e6, `camera ${id}: the last file before the handover has its full length: ${JSON.stringify(last)}`);
    }
    assert.ok(!gaps.some((x) => x.start_us >= restartUs && x.reason === 'recorder_down'), 'a rebalance leaves no recorder_down gap');
    const holes = lost.map((id) => gaps.find((x) => x.camera_id === id && x.start_us < killedUs && x.end_us! > killedUs)!).map((g) => (g.end_us! - killedUs) / 1e6);
    t.diagnostic(`takeover after kill -9: footage resumed ${holes.map((h) => h.toFixed(1)).join(', ')} s after the kill`);
    for (const g of gaps) assert.ok(g.end_us !== null, `every gap closed: ${JSON.stringify(g)}`);
  });
});
