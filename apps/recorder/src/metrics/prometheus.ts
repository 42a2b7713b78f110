import type { FrameBufferPoolStats } from '@wyze-nvr/tutk';
import type { CameraMetrics } from '../supervisor/camera-metrics';

const STATES = ['starting', 'connecting', 'recording', 'degraded', 'backoff', 'stopped'] as const;

/** Label value escaping of the text exposition format (backslash, quote, newline). */
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Per-camera metrics in the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(cameras: readonly CameraMetrics[], extra: { indexFailures: number; framePool?: FrameBufferPoolStats }): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, rows: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      out.push(`${name}{${l}} ${Number.isFinite(value) ? value : 0}`);
    }
  };
  const cam = (m: CameraMetrics) => ({ camera: String(m.cameraId), name: m.name });
  family('wyze_nvr_camera_state', 'gauge', 'Recorder state of the camera (1 for the current state).', cameras.flatMap((m) => STATES.map((s): [Record<string, string>, number] => [{ ...cam(m), state: s }, m.state === s ? 1 : 0])));
  family('wyze_nvr_camera_frames_total', 'counter', 'Frames received from the camera.', cameras.flatMap((m): [Record<string, string>, number][] => [
    [{ ...cam(m), kind: 'video' }, m.videoFrames],
    [{ ...cam(m), kind: 'audio' }, m.audioFrames],
  ]));
  family('wyze_nvr_camera_bytes_written_total', 'counter', 'Bytes written to segment files.', cameras.map((m) => [cam(m), m.bytes]));
  family('wyze_nvr_camera_segments_total', 'counter', 'Segment files started.', cameras.map((m) => [cam(m), m.segments]));
  family('wyze_nvr_camera_frames_dropped_total', 'counter', 'Frames lost or not stored, by reason.', cameras.flatMap((m) => Object.entries(m.framesDropped).map(([reason, v]): [Record<string, string>, number] => [{ ...cam(m), reason }, v])));
  family('wyze_nvr_camera_packets_dropped_total', 'counter', 'Packets dropped, by reason.', cameras.flatMap((m) => Object.entries(m.packetsDropped).map(([reason, v]): [Record<string, string>, number] => [{ ...cam(m), reason }, v])));
  family('wyze_nvr_camera_resend_requests_total', 'counter', 'Missing packets the session asked the camera to resend (resend = 1).', cameras.map((m) => [cam(m), m.resendRequests]));
  family('wyze_nvr_camera_packets_recovered_total', 'counter', 'Packets asked for again that arrived (resend = 1).', cameras.map((m) => [cam(m), m.packetsRecovered]));
  family('wyze_nvr_camera_video_frames_lost_total', 'counter', 'Video frames lost to the network: never seen, incomplete, or withheld after a loss until the next keyframe.', cameras.map((m) => [cam(m), m.framesLostToLoss]));
  family('wyze_nvr_camera_loss_gaps_total', 'counter', 'network_loss gaps inside a session (a lost frame up to the next keyframe).', cameras.map((m) => [cam(m), m.lossGaps]));
  family('wyze_nvr_camera_reconnects_total', 'counter', 'Sessions opened after the first.', cameras.map((m) => [cam(m), m.reconnects]));
  family('wyze_nvr_camera_last_frame_timestamp_seconds', 'gauge', 'Wall-clock time of the newest frame.', cameras.filter((m) => m.lastFrameUs !== null).map((m) => [cam(m), m.lastFrameUs! / 1e6]));
  family('wyze_nvr_camera_gap_open', 'gauge', '1 while footage is missing (an open gaps row).', cameras.map((m) => [cam(m), m.gapOpen ? 1 : 0]));
  family('wyze_nvr_camera_clock_jumps_total', 'counter', 'Discontinuities in camera time bridged by the clock.', cameras.map((m) => [cam(m), m.clockJumps]));
  family('wyze_nvr_camera_clock_mode', 'gauge', 'How frame times are taken (1 for the current mode): camera time as sent, or its deltas anchored to arrival.', cameras.flatMap((m) => ['camera', 'anchored'].map((mode): [Record<string, string>, number] => [{ ...cam(m), mode }, m.clockMode === mode ? 1 : 0])));
  family('wyze_nvr_camera_clock_corrections_total', 'counter', 'Times clock sync set the camera clock to host time (K10092).', cameras.map((m) => [cam(m), m.clockCorrections]));
  family('wyze_nvr_camera_clock_offset_seconds', 'gauge', 'Camera clock minus host clock at the last clock sync (K10090).', cameras.filter((m) => m.clockOffsetSeconds !== null).map((m) => [cam(m), m.clockOffsetSeconds!]));
  family('wyze_nvr_camera_udp_receive_buffer_bytes', 'gauge', 'UDP receive buffer the OS granted the session (Linux reports twice the size asked for; less means capped).', cameras.filter((m) => m.receiveBufferBytes !== null).map((m) => [cam(m), m.receiveBufferBytes!]));
  family('wyze_nvr_camera_index_pending', 'gauge', 'Index writes waiting for the database.', cameras.map((m) => [cam(m), m.indexPending]));
  out.push('# HELP wyze_nvr_index_failing 1 while index writes fail (database unavailable).', '# TYPE wyze_nvr_index_failing gauge', `wyze_nvr_index_failing ${extra.indexFailures > 0 ? 1 : 0}`);
  const pool = extra.framePool;
  if (pool) {
    family('wyze_nvr_frame_buffers_acquired_total', 'counter', 'Video frame buffers taken from the pool, by whether one was reused.', [
      [{ reused: 'true' }, pool.reused],
      [{ reused: 'false' }, pool.acquired - pool.reused],
    ]);
    family('wyze_nvr_frame_buffers_free_bytes', 'gauge', 'Bytes of frame buffers waiting in the pool for reuse.', [[{}, pool.freeBytes]]);
  }
  return out.join('\n') + '\n';
}

/** Parses the exposition text back into `name{labels} → value` (tests and the benchmark read the endpoint with it). */
export function parsePrometheus(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}
