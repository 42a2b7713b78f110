import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '@wyze-nvr/log';
import { NodeSegmentFileSystem } from '../segment/segment-file';
import { segmentPath } from '../segment/segment-path';
import { Segmenter, type SegmentRecord } from '../segment/segmenter';
import { FakeClock } from '../testing/fake-clock';
import { fixtureMedia } from '../testing/fixture-media';
import { MemoryRecorderStore } from '../testing/memory-recorder-store';
import { Reconciler, type ReconcileReport } from './reconciler';

const log = createLogger({ level: 'silent' });
const CAMERA = 3;
const T0 = 1_790_000_000_000_000;
const NOTHING: ReconcileReport = { indexed: 0, closed: 0, truncated: 0, missing: 0, removed: 0, ignored: 0 };

let root: string;
let n = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'reconciler-spec-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * Real segment files as the live recorder writes them (the segmenter on the file system), in a fresh
 * recordings root per test; returns the rows the live writer closed them with. A fragment is a 2 s GOP.
 */
async function record(seconds: number, segmentUs = 5_000_000): Promise<{ dir: string; rows: SegmentRecord[] }> {
  const dir = join(root, String(n++));
  const rows: SegmentRecord[] = [];
  const s = new Segmenter({
    cameraId: CAMERA,
    root: dir,
    segmentUs,
    files: new NodeSegmentFileSystem(),
    listener: { opened: () => undefined, fragment: () => undefined, closed: (r) => void rows.push({ ...r }) },
    audioProbeUs: 0,
  });
  const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'none' });
  for (let t = 0; t < seconds * 1e6; t += periodUs) {
    for (const f of frames) {
      if (t + f.timestampUs >= seconds * 1e6) break;
      const p = s.push({ kind: f.kind, codec: f.codec, data: f.data, timeUs: T0 + t + f.timestampUs });
      if (p) await p;
    }
  }
  await s.close();
  return { dir, rows };
}

function setup(dir: string) {
  const clock = new FakeClock(T0 + 3_600_000_000);
  const store = new MemoryRecorderStore(() => clock.nowUs() / 1000);
  return { store, reconciler: new Reconciler(store, dir, log, clock) };
}

/** What reconcile can know of a file; the live writer also knows the codec string (avc1.64001f). */
function described(r: SegmentRecord) {
  const { videoCodec: _v, audioCodec: _a, ...rest } = r;
  return rest;
}

describe('Reconciler', () => {
  it('indexes a file without a row exactly as the live writer described it, and changes nothing the second time', async () => {
    const { dir, rows } = await record(12);
    assert.ok(rows.length >= 2, `${rows.length} files`);
    const { store, reconciler } = setup(dir);
    const report = await reconciler.reconcileCamera(CAMERA);
    assert.deepEqual(report, { ...NOTHING, indexed: rows.length });
    for (const live of rows) {
      const got = store.segments.get(live.path);
      assert.ok(got, live.path);
      const { updatedAtMs: _u, ...row } = got;
      assert.deepEqual(described(row), described(live));
      assert.equal(row.videoCodec, 'avc1');
    }
    const writes = store.writes.length;
    assert.deepEqual(await reconciler.reconcileCamera(CAMERA), NOTHING);
    assert.equal(store.writes.length, writes);
  });

  it('with a node id, leaves the rows of other nodes alone (files elsewhere, or in a shared root) and reconciles its own', async () => {
    const { dir, rows } = await record(8);
    assert.ok(rows.length >= 2);
    const clock = new FakeClock(T0 + 3_600_000_000);
    const store = new MemoryRecorderStore(() => clock.nowUs() / 1000);
    const reconciler = new Reconciler(store, dir, log, clock, 'node-a');
    const elsewhere = { ...rows[0], path: `/elsewhere/${CAMERA}/x/${rows[0].startUs}.mp4` };
    await store.upsertSegment(elsewhere, { nodeId: 'node-b', epoch: 3 });
    const shared = { ...rows[0], state: 'open' as const, bytes: 10 };
    await store.upsertSegment(shared, { nodeId: 'node-b', epoch: 3 });
    const mineGone = { ...rows[1], path: `${dir}/${CAMERA}/gone/${rows[1].startUs}.mp4` };
    await store.upsertSegment(mineGone, { nodeId: 'node-a', epoch: 1 });
    const report = await reconciler.reconcileCamera(CAMERA);
    assert.deepEqual(report, { ...NOTHING, indexed: rows.length - 1, missing: 1 }, 'its own gone row is missing; the other node’s rows count for nothing');
    assert.equal(store.segments.get(elsewhere.path)?.state, 'closed', 'a file on the other node is not missing here');
    assert.deepEqual(store.segments.get(shared.path)?.bytes, 10, 'a row of the other node in a shared root is not rewritten');
    assert.equal(store.segments.get(mineGone.path)?.state, 'missing');
  });

  it('moves a takeover gap opened at a crashed row’s end to the end its file shows', async () => {
    const { dir, rows } = await record(5.9, 60_000_000);
    const live = rows[0];
    const { store, reconciler } = setup(dir);
    const indexedEnd = live.startUs + 2_000_000;
    await store.upsertSegment({ ...live, state: 'open', endUs: indexedEnd, bytes: 1000, videoFrames: 40, keyframes: 1 });
    // Another node took the camera over and opened its recorder_down gap where the row said footage ended.
    await store.upsertGap({ cameraId: CAMERA, startUs: indexedEnd, endUs: live.startUs + 20_000_000, reason: 'recorder_down' });
    await reconciler.reconcileCamera(CAMERA);
    const end = store.segments.get(live.path)!.endUs;
    assert.ok(end > indexedEnd);
    assert.deepEqual([...store.gaps.values()], [{ cameraId: CAMERA, startUs: end, endUs: live.startUs + 20_000_000, reason: 'recorder_down' }]);
  });

  it('cuts a torn last fragment so that the file is exactly the complete fragments its closed row describes', async () => {
    const { dir, rows } = await record(5.9, 60_000_000); // one file of three GOPs
    assert.equal(rows.length, 1);
    const live = rows[0];
    const whole = await readFile(live.path);
    const { store, reconciler } = setup(dir);
    // A crashed recorder: the row still says 'open' from its first fragment, the file ends mid-fragment.
    await store.upsertSegment({ ...live, state: 'open', endUs: live.startUs + 2_000_000, bytes: 1000, videoFrames: 40, keyframes: 1 });
    await truncate(live.path, whole.length - 100);

    const report = await reconciler.reconcileCamera(CAMERA);
    assert.deepEqual(report, { ...NOTHING, truncated: 1, closed: 1 });
    const row = store.segments.get(live.path)!;
    const size = (await stat(live.path)).size;
    assert.equal(row.state, 'closed');
    assert.equal(row.bytes, size);
    assert.ok(size < whole.length - 100, 'the partial fragment is gone, not just the missing bytes');
    assert.deepEqual(await readFile(live.path), whole.subarray(0, size), 'only the tail was cut');
    // Two of the three GOPs survive: 4 s of 20 fps video.
    assert.equal(row.keyframes, live.keyframes - 1);
    assert.equal(row.videoFrames, 80);
    assert.equal(row.endUs, live.startUs + 4_000_000);
    assert.deepEqual([...store.gaps.values()], [], 'no gap to move');

    // Re-reading the cut file gives its row back: nothing left to reconcile.
    assert.deepEqual(await reconciler.reconcileCamera(CAMERA), NOTHING);
  });

  it('marks a row whose file is gone missing, once', async () => {
    const { dir, rows } = await record(12);
    const { store, reconciler } = setup(dir);
    for (const r of rows) await store.upsertSegment(r);
    const [gone, ...kept] = rows;
    await rm(gone.path);

    assert.deepEqual(await reconciler.reconcileCamera(CAMERA), { ...NOTHING, missing: 1 });
    assert.equal(store.segments.get(gone.path)?.state, 'missing');
    for (const r of kept) assert.equal(store.segments.get(r.path)?.state, 'closed');
    assert.deepEqual(await reconciler.reconcileCamera(CAMERA), NOTHING, 'an already missing row is not counted again');
  });

  it('removes files without a complete fragment (empty, init segment only) with their rows, and leaves foreign files alone', async () => {
    const { dir, rows } = await record(5.9, 60_000_000);
    const whole = await readFile(rows[0].path);
    const { store, reconciler } = setup(dir);
    const empty = segmentPath(dir, CAMERA, T0 + 600_000_000);
    const initOnly = segmentPath(dir, CAMERA, T0 + 700_000_000);
    const foreign = join(dirname(empty), 'notes.mp4');
    await mkdir(dirname(empty), { recursive: true });
    await writeFile(empty, new Uint8Array(0));
    // The bytes before the first moof: what a crash right after opening leaves.
    const moof = whole.indexOf(Buffer.from('moof')) - 4;
    await writeFile(initOnly, whole.subarray(0, moof));
    await writeFile(foreign, 'not ours');
    await store.upsertSegment({ ...rows[0], path: initOnly, startUs: T0 + 700_000_000, state: 'open' });

    const report = await reconciler.reconcileCamera(CAMERA);
    assert.deepEqual(report, { ...NOTHING, indexed: 1, removed: 2, ignored: 1 });
    await assert.rejects(stat(empty), { code: 'ENOENT' });
    await assert.rejects(stat(initOnly), { code: 'ENOENT' });
    assert.equal(store.segments.has(initOnly), false, 'the debris row went with its file');
    assert.equal(await readFile(foreign, 'utf8'), 'not ours');
    assert.ok(store.segments.has(rows[0].path));
  });

  it('leaves an open row that was updated within the grace period to the recorder writing it', async () => {
    const { dir, rows } = await record(5.9, 60_000_000);
    const { store, reconciler } = setup(dir);
    await store.upsertSegment({ ...rows[0], state: 'open', bytes: 1 }); // updated "now" on the fake clock
    assert.deepEqual(await reconciler.reconcileCamera(CAMERA, { openGraceMs: 30_000 }), NOTHING);
    assert.equal(store.segments.get(rows[0].path)?.state, 'open');
  });
});
