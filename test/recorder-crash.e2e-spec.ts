// The recorder child is killed with SIGKILL in the middle of a segment and started again (real time,
// 4 s segments): the torn segment is indexed up to its last complete fragment and decodes cleanly, one
// recorder_down gap covers the downtime, and recording goes on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { decodeErrors, eventually, listSegmentFiles, sampleCounts, segmentRows } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';

describe('recorder: SIGKILL and restart', { timeout: 120_000 }, () => {
  const scenario = recorderScenario({ video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });

  it('indexes the torn segment, records one recorder_down gap and keeps recording', async () => {
    const { env } = scenario;
    const settings = { SEGMENT_SECONDS: '4' };
    const first = await scenario.startRecorder(settings);
    // Mid-segment and between fragments (GOP 2 s): the first file is closed, the second holds at least one
    // fragment, and its file is exactly what its row describes, so no fragment write is in flight.
    await eventually(async () => {
      const rows = await segmentRows(env.ds);
      return rows.length === 2 && rows[0].state === 'closed' && rows[1].state === 'open' && rows[1].end_us > rows[1].start_us && statSync(rows[1].path).size === rows[1].bytes;
    }, 40_000, 'a second segment with a fragment and no write in flight');
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    const killedAt = Date.now() * 1000;
    const torn = (await segmentRows(env.ds))[1];

    await scenario.withRecorder(settings, () =>
      eventually(async () => {
        const rows = await segmentRows(env.ds);
        const after = rows.filter((r) => r.start_us > torn.start_us);
        return after.length >= 2 && after[0].state === 'closed';
      }, 40_000, 'recording after the restart'),
    );

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
