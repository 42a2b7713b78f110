// 5 % of the emulator's datagrams are lost on the way to the recorder (a UDP relay in front of the camera):
// what the recorder stores still decodes without a message, and the losses show in its metrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErrors, eventually, lossyRelay, metrics, metricSum, segmentRows } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';

describe('recorder: 5 % packet loss', { timeout: 120_000 }, () => {
  let relay: Awaited<ReturnType<typeof lossyRelay>> | undefined;
  const scenario = recorderScenario(
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
  scenario.onClose(() => relay?.close());

  it('stores only decodable footage and counts the drops', async () => {
    const { env, cam } = scenario;
    const { dropped, received } = await scenario.withRecorder({ SEGMENT_SECONDS: '6', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600' }, async ({ metricsUrl }) => {
      await eventually(() => cam.sent.video === cam.expected.video, 60_000, 'the camera to send everything');
      // The recorder's counters trail the last datagrams: wait until they show both what came and what was lost.
      return eventually(async () => {
        const m = await metrics(metricsUrl);
        const counts = {
          dropped: metricSum(m, 'wyze_nvr_camera_frames_dropped_total', { camera: String(cam.id) }, /reason="assembler:/),
          received: metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'video' }),
        };
        return counts.dropped > 0 && counts.received > 0 && counts;
      }, 10_000, 'received and dropped frames in the metrics');
    });
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
