// The recorder child is killed with SIGKILL in the middle of a segment and started again (real time,
// 4 s segments): the torn segment is indexed up to its last complete fragment and decodes cleanly, one
// recorder_down gap covers the downtime, and recording goes on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import {
  decodeErrors,
  emulatedCamera,
  eventually,
  listSegmentFiles,
  recorderEnv,
  recorderTestEnv,
  sampleCounts,
  segmentRows,
  startRecorder,
  type EmulatedCamera,
  type RecorderTestEnv,
} from './support/recorder-harness';

describe('recorder: SIGKILL and restart', { timeout: 120_000 }, () => {
  let env: RecorderTestEnv;
  let cam: EmulatedCamera;

  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(env, { video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });
  });
  after(async () => {
    cam?.close();
    await env?.close();
  });

  it('indexes the torn segment, records one recorder_down gap and keeps recording', async () => {
    const renv = recorderEnv(env, env.db.url, { SEGMENT_SECONDS: '4' });
    const first = await startRecorder(renv);
    // Mid-segment: the first file is closed and the second holds at least one fragment.
    await eventually(async () => {
      const rows = await segmentRows(env.ds);
      return rows.length === 2 && rows[0].state === 'closed' && rows[1].state === 'open' && rows[1].end_us > rows[1].start_us;
    }, 40_000, 'a second segment with a fragment');
    await new Promise((r) => setTimeout(r, 700)); // land between fragments (GOP 2 s) rather than on one
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    const killedAt = Date.now() * 1000;
    const torn = (await segmentRows(env.ds))[1];

    const second = await startRecorder(renv);
    try {
      await eventually(async () => {
        const rows = await segmentRows(env.ds);
        const after = rows.filter((r) => r.start_us > torn.start_us);
        return after.length >= 2 && after[0].state === 'closed';
      }, 40_000, 'recording after the restart');
    } finally {
      assert.equal(await second.proc.stop('SIGTERM'), 0, second.proc.output.slice(-3000));
    }

    const rows = await segmentRows(env.ds);
    assert.deepEqual(rows.map((r) => r.path).sort(), listSegmentFiles(env.recordings));
    const fixed = rows.find((r) => r.path === torn.path)!;
    assert.equal(fixed.state, 'closed');
    assert.equal(statSync(fixed.path).size, fixed.bytes, 'the row describes the file as it is now');
    const n = sampleCounts(fixed.path);
    assert.equal(n.truncated, false, 'no torn tail left');
    assert.ok(n.video > 0 && n.video === fixed.video_frames);
    assert.equal(decodeErrors(fixed.path), '');
    assert.ok(fixed.end_us > fixed.start_us);

    const gaps: { start_us: number; end_us: number | null; reason: string }[] = await env.ds.query(`SELECT start_us, end_us, reason FROM gaps ORDER BY start_us`);
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    const next = rows.find((r) => r.start_us > fixed.start_us)!;
    assert.equal(gaps[0].reason, 'recorder_down');
    assert.equal(gaps[0].start_us, fixed.end_us, 'the gap starts where indexed footage ends');
    assert.equal(gaps[0].end_us, next.start_us, 'and ends where footage resumes');
    assert.ok(gaps[0].end_us! > killedAt - 2_000_000);
    for (const r of rows.filter((x) => x.start_us > fixed.start_us)) {
      assert.equal(r.state, 'closed');
      assert.equal(decodeErrors(r.path), '');
    }
  });
});
