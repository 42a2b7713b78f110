// 3 minutes of H.264 + AAC and of H.265 + G.711 from two emulated cameras, recorded by `wyze-nvr record`.
// The emulators run 6× faster than real time (30 s of wall time) with FRAMEINFO times following media
// time; RECORDER_CLOCK_MAX_SKEW_SECONDS lets the clock trust that camera time, so the files carry media time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import {
  decodeErrors,
  emulatedCamera,
  eventually,
  listSegmentFiles,
  metrics,
  metricSum,
  recorderEnv,
  recorderTestEnv,
  sampleCounts,
  segmentRows,
  videoSamplesOf,
  startRecorder,
  type EmulatedCamera,
  type RecorderTestEnv,
} from './support/recorder-harness';
import { runCliSync } from './support/cli';

const MEDIA_US = 180_000_000;
const SPEED = 6;

describe('recorder: 3 minutes from two cameras', { timeout: 240_000 }, () => {
  let env: RecorderTestEnv;
  let h264: EmulatedCamera;
  let h265: EmulatedCamera;

  before(async () => {
    env = await recorderTestEnv();
    h264 = await emulatedCamera(env, { video: 'h264', audio: 'aac' }, { speed: SPEED, durationUs: MEDIA_US });
    h265 = await emulatedCamera(env, { video: 'h265', audio: 'pcmu' }, { speed: SPEED, durationUs: MEDIA_US });
  });
  after(async () => {
    h264?.close();
    h265?.close();
    await env?.close();
  });

  it('records every frame into contiguous segments that decode cleanly, with no gaps', async () => {
    const { proc, metricsUrl } = await startRecorder(recorderEnv(env, env.db.url, { RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600' }));
    try {
      for (const cam of [h264, h265]) {
        await eventually(() => cam.sent.video === cam.expected.video && cam.sent.audio === cam.expected.audio, 90_000, `camera ${cam.id} to send everything`);
      }
      await eventually(
        async () => {
          const m = await metrics(metricsUrl);
          return [h264, h265].every(
            (c) =>
              metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(c.id), kind: 'video' }) === c.sent.video &&
              metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(c.id), kind: 'audio' }) === c.sent.audio,
          );
        },
        20_000,
        'the recorder to receive every frame',
      ).catch(async (e) => {
        const m = await metrics(metricsUrl);
        console.log('SENT', h264.id, h264.sent, h265.id, h265.sent, 'DEV', JSON.stringify(h264.device.stats), JSON.stringify(h265.device.stats));
        for (const [k, v] of m) if (/frames_total|dropped|lost|resend|recovered|gaps|reconnect/.test(k) && v) console.log('M', k, v);
        console.log('LOG', proc.output.split('\n').filter((l) => /session|gap|warn|error/i.test(l)).slice(0, 20).join('\nLOG '));
        throw e;
      });
      const status: { camera_id: number; state: string }[] = await eventually(async () => {
        const rows: { camera_id: number; state: string }[] = await env.ds.query(`SELECT camera_id, state FROM camera_status ORDER BY camera_id`);
        return rows.length === 2 && rows;
      }, 15_000, 'camera_status rows');
      assert.deepEqual(status.map((s) => s.state), ['recording', 'recording']);
    } finally {
      assert.equal(await proc.stop('SIGTERM'), 0, proc.output.slice(-3000));
    }

    const files = listSegmentFiles(env.recordings);
    const rows = await segmentRows(env.ds);
    assert.deepEqual(rows.map((r) => r.path).sort(), files, 'one row per file');
    for (const cam of [h264, h265]) {
      const mine = rows.filter((r) => r.camera_id === cam.id);
      assert.equal(mine.length, 3, `camera ${cam.id}: 3 one-minute segments`);
      let video = 0;
      let audio = 0;
      for (let i = 0; i < mine.length; i++) {
        const r = mine[i];
        assert.equal(r.state, 'closed');
        assert.ok(existsSync(r.path));
        assert.equal(statSync(r.path).size, r.bytes);
        assert.equal(decodeErrors(r.path), '', `${r.path} decodes without a message`);
        const n = sampleCounts(r.path);
        assert.equal(n.truncated, false);
        assert.equal(n.video, r.video_frames);
        assert.equal(n.audio, r.audio_frames);
        video += n.video;
        audio += n.audio;
        if (i > 0) assert.ok(Math.abs(r.start_us - mine[i - 1].end_us) <= 50_000, `segment ${i} starts ${r.start_us - mine[i - 1].end_us} µs from the previous end`);
      }
      assert.equal(video, cam.sent.video, `camera ${cam.id} video frames`);
      // Byte for byte: every stored picture is the one sent, in order (the source loops from its first keyframe).
      const stored = mine.flatMap((r) => videoSamplesOf(r.path));
      const wrong = stored.findIndex((d, i) => d !== cam.videoDigests[i % cam.videoDigests.length]);
      assert.equal(wrong, -1, `camera ${cam.id}: video sample ${wrong} is not the frame sent`);
      assert.equal(audio, cam.sent.audio, `camera ${cam.id} audio frames`);
      const span = mine[mine.length - 1].end_us - mine[0].start_us;
      assert.ok(Math.abs(span - MEDIA_US) <= 100_000, `footage spans media time (${span} µs)`);
    }
    const gaps: unknown[] = await env.ds.query(`SELECT * FROM gaps`);
    assert.deepEqual(gaps, []);

    // On demand, reconcile finds nothing to do.
    const rec = runCliSync(['record', '--reconcile'], recorderEnv(env, env.db.url), 60_000);
    assert.equal(rec.status, 0, rec.stdout + rec.stderr);
    assert.match(rec.stdout, /"indexed":0,"closed":0,"truncated":0,"missing":0,"removed":0/);
  });
});
