// 5 % of the emulator's datagrams are lost on the way to the recorder (a UDP relay in front of the camera):
// what the recorder stores still decodes without a message, and the losses show in its metrics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeErrors,
  emulatedCamera,
  eventually,
  lossyRelay,
  metrics,
  metricSum,
  recorderEnv,
  recorderTestEnv,
  segmentRows,
  startRecorder,
  type EmulatedCamera,
  type RecorderTestEnv,
} from './support/recorder-harness';

describe('recorder: 5 % packet loss', { timeout: 120_000 }, () => {
  let env: RecorderTestEnv;
  let cam: EmulatedCamera;
  let relay: Awaited<ReturnType<typeof lossyRelay>> | undefined;

  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(
      env,
      { video: 'h264', videoFile: 'h264-360p20.h264', audio: 'aac' },
      {
        speed: 2,
        durationUs: 40_000_000,
        port: async (devicePort) => {
          relay = await lossyRelay(devicePort, 0.05);
          return relay.port;
        },
      },
    );
  });
  after(async () => {
    relay?.close();
    cam?.close();
    await env?.close();
  });

  it('stores only decodable footage and counts the drops', async () => {
    const { proc, metricsUrl } = await startRecorder(recorderEnv(env, env.db.url, { SEGMENT_SECONDS: '6', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600' }));
    let dropped = 0;
    let received = 0;
    try {
      await eventually(() => cam.sent.video === cam.expected.video, 60_000, 'the camera to send everything');
      await new Promise((r) => setTimeout(r, 1000));
      const m = await metrics(metricsUrl);
      dropped = metricSum(m, 'wyze_nvr_camera_frames_dropped_total', { camera: String(cam.id) }, /reason="assembler:/);
      received = metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'video' });
    } finally {
      assert.equal(await proc.stop('SIGTERM'), 0, proc.output.slice(-3000));
    }
    assert.ok(relay!.dropped > 0);
    assert.ok(dropped > 0, 'frame drops counted in the metrics');
    assert.ok(received > 0 && received < cam.sent.video, `${received} of ${cam.sent.video} video frames arrived`);
    const rows = await eventually(async () => {
      const r = await segmentRows(env.ds);
      return r.length > 0 && r.every((x) => x.state === 'closed') && r;
    }, 10_000, 'closed segments');
    for (const r of rows) assert.equal(decodeErrors(r.path), '', r.path);
    assert.ok(rows.reduce((n, r) => n + r.video_frames, 0) > 0);
  });
});
