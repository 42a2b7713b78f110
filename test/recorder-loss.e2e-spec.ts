// The emulator's datagrams to the recorder are lost on the way (FaultyTransport on its socket), and the real
// `wyze-nvr record` stores what arrives in real PostgreSQL and files. With resend = 1 (the recorder's
// default) the camera's retransmission recovers the losses; with resend = 0 every loss costs the rest of its
// GOP, which the recorder stores as a network_loss gap. Either way every frame stored is the frame sent,
// the files decode without a message, and no gap overlaps a segment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { FaultyTransport, UdpTransport, type SentFrame } from '@wyze-nvr/tutk';
import { decodeErrors, eventually, metrics, metricSum, segmentRows, timedVideoSamplesOf, videoSampleDigest, type SegmentRow } from './support/recorder-harness';
import { recorderScenario, type RecorderScenario } from './support/recorder-scenario';

interface GapRow {
  start_us: number;
  end_us: number | null;
  reason: string;
}

/** A camera sending 30 s of 360p H.264 + AAC at twice real time, `loss` of its datagrams lost. */
function lossyScenario(loss: number, seed: number): RecorderScenario {
  return recorderScenario(
    { video: 'h264', videoFile: 'h264-360p20.h264', audio: 'aac' },
    { speed: 2, durationUs: 30_000_000, device: { transport: () => new FaultyTransport(new UdpTransport(), { outbound: { loss }, seed }) } },
  );
}

/**
 * Records the whole stream, until the camera has sent everything and the recorder's metrics satisfy `done`;
 * returns the camera's video frames as sent (time, digest), the rows written and the files' video samples.
 */
async function record(scenario: RecorderScenario, settings: Record<string, string>, done: (m: Map<string, number>, camera: string, sentVideo: number) => boolean) {
  const { env, cam } = scenario;
  const camera = String(cam.id);
  const sent: { timeUs: number; digest: string }[] = [];
  cam.device.on('frame-sent', (f: SentFrame) => {
    if (f.kind === 'video') sent.push({ timeUs: f.info.timestampSec * 1e6 + f.info.timestampUs, digest: videoSampleDigest('h264', f.data) });
  });
  const m = await scenario.withRecorder({ SEGMENT_SECONDS: '60', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600', ...settings }, async ({ metricsUrl }) => {
    await eventually(() => cam.sent.video === cam.expected.video, 60_000, 'the camera to send everything');
    return eventually(async () => {
      const now = await metrics(metricsUrl);
      return done(now, camera, sent.length) && now;
    }, 10_000, 'the recorder to count what came and what was lost');
  });
  const rows = await eventually(async () => {
    const r = await segmentRows(env.ds, cam.id);
    return r.length > 0 && r.every((x) => x.state === 'closed') && r;
  }, 10_000, 'closed segments');
  const gaps = await gapRows(env.ds, cam.id);
  const stored = rows.flatMap((r) => timedVideoSamplesOf(r.path, Number(r.start_us)));
  return { sent, rows, gaps, stored, metrics: m, camera };
}

const videoReceived = (m: Map<string, number>, camera: string) => metricSum(m, 'wyze_nvr_camera_frames_total', { camera, kind: 'video' });

async function gapRows(ds: DataSource, cameraId: number): Promise<GapRow[]> {
  const rows: GapRow[] = await ds.query('SELECT start_us, end_us, reason FROM gaps WHERE camera_id = $1 ORDER BY start_us', [cameraId]);
  return rows.map((g) => ({ start_us: Number(g.start_us), end_us: g.end_us === null ? null : Number(g.end_us), reason: g.reason }));
}

/** Every stored sample is the frame sent at that time (to the 90 kHz tick), byte for byte. Returns the times stored. */
function assertIntact(sent: { timeUs: number; digest: string }[], stored: { timeUs: number; digest: string }[]): Set<number> {
  const byTime = new Map(sent.map((s) => [s.timeUs, s.digest]));
  const times = new Set<number>();
  for (const s of stored) {
    const t = [s.timeUs, s.timeUs - 1, s.timeUs + 1, s.timeUs - 5, s.timeUs + 5].find((x) => byTime.has(x));
    assert.ok(t !== undefined, `a stored sample at ${s.timeUs} that was never sent`);
    assert.equal(s.digest, byTime.get(t), `the sample at ${t} differs from the frame sent`);
    times.add(t);
  }
  return times;
}

function assertFilesAndRows(rows: SegmentRow[], gaps: GapRow[]): void {
  for (const r of rows) assert.equal(decodeErrors(r.path), '', r.path);
  for (const g of gaps) {
    for (const r of rows) {
      const overlap = Math.min(g.end_us ?? Infinity, Number(r.end_us)) - Math.max(g.start_us, Number(r.start_us));
      assert.ok(overlap <= 0, `gap [${g.start_us}, ${g.end_us}) ${g.reason} overlaps segment [${r.start_us}, ${r.end_us}) by ${overlap} µs`);
    }
  }
}

describe('recorder: 5 % datagram loss, resend = 1 (default)', { timeout: 120_000 }, () => {
  const scenario = lossyScenario(0.05, 21);

  it('recovers the losses: at least 99 % of the video stored, every stored frame the one sent, files clean', async () => {
    const { sent, rows, gaps, stored, metrics: m, camera } = await record(scenario, {}, (now, c, n) => videoReceived(now, c) >= 0.99 * n);
    const times = assertIntact(sent, stored);
    assert.ok(times.size >= 0.99 * sent.length, `${times.size} of ${sent.length} video frames stored`);
    assertFilesAndRows(rows, gaps);
    assert.ok(metricSum(m, 'wyze_nvr_camera_packets_recovered_total', { camera }) > 0, 'packets recovered by retransmission');
    assert.ok(metricSum(m, 'wyze_nvr_camera_resend_requests_total', { camera }) > 0);
    assert.ok(scenario.cam.device.stats.packetsResent > 0);
  });
});

describe('recorder: 5 % datagram loss, RECORDER_RESEND=off', { timeout: 120_000 }, () => {
  const scenario = lossyScenario(0.05, 22);

  it('stores only intact frames and covers every frame it dropped with a network_loss gap that no segment overlaps', async () => {
    const { sent, rows, gaps, stored, metrics: m, camera } = await record(
      scenario,
      { RECORDER_RESEND: 'off' },
      (now, c) => videoReceived(now, c) > 0 && metricSum(now, 'wyze_nvr_camera_loss_gaps_total', { camera: c }) > 0,
    );
    const times = assertIntact(sent, stored);
    assertFilesAndRows(rows, gaps);
    const lossGaps = gaps.filter((g) => g.reason === 'network_loss');
    assert.ok(lossGaps.length > 0, 'network_loss gaps');
    assert.equal(metricSum(m, 'wyze_nvr_camera_loss_gaps_total', { camera }), lossGaps.length);
    assert.ok(metricSum(m, 'wyze_nvr_camera_video_frames_lost_total', { camera }) > 0);
    // Between the first and the last frame stored, each frame sent and not stored lies in a network_loss gap.
    const first = Math.min(...times);
    const last = Math.max(...times);
    const dropped = sent.filter((s) => s.timeUs > first && s.timeUs < last && !times.has(s.timeUs));
    assert.ok(dropped.length > 0 && times.size < sent.length);
    for (const d of dropped) assert.ok(lossGaps.some((g) => g.start_us <= d.timeUs && d.timeUs < g.end_us!), `the frame at ${d.timeUs} was dropped outside any network_loss gap`);
  });
});
