import type { LiveTapSnapshot } from './live-tap';

export interface LiveCameraSnapshot {
  cameraId: number;
  name: string;
  live: LiveTapSnapshot;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The live view families of the recorder's Prometheus endpoint (text format 0.0.4). */
export function renderLivePrometheus(cameras: readonly LiveCameraSnapshot[]): string {
  if (!cameras.length) return '';
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, rows: (c: LiveCameraSnapshot) => [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const c of cameras) for (const [labels, v] of rows(c)) out.push(`${name}{camera="${c.cameraId}",name="${esc(c.name)}"${labels}} ${v}`);
  };
  family('wyze_nvr_live_viewers', 'gauge', 'Live viewers, by transport.', (c) => [
    [',transport="websocket"', c.live.viewers.websocket],
    [',transport="mp4"', c.live.viewers.mp4],
  ]);
  family('wyze_nvr_live_viewer_skips_total', 'counter', 'Times a viewer fell behind and was moved on to the next keyframe.', (c) => [['', c.live.skips]]);
  family('wyze_nvr_live_frames_skipped_total', 'counter', 'Fragments not sent to viewers that had fallen behind.', (c) => [['', c.live.skippedFrames]]);
  family('wyze_nvr_live_queued_bytes', 'gauge', "Bytes waiting in the viewers' queues (shared fragments count once per viewer).", (c) => [['', c.live.queuedBytes]]);
  family('wyze_nvr_live_gop_cache_bytes', 'gauge', 'Bytes of the current GOP kept for fast start.', (c) => [['', c.live.gopBytes]]);
  family('wyze_nvr_live_gop_cache_overflows_total', 'counter', 'GOPs too large to keep (a viewer joining then waits for a keyframe).', (c) => [['', c.live.gopOverflows]]);
  family('wyze_nvr_live_fragments_total', 'counter', 'Frames muxed for live viewing (once per frame, whatever the number of viewers).', (c) => [['', c.live.fragments]]);
  family('wyze_nvr_live_frames_dropped_total', 'counter', 'Frames the live view could not use, by reason (recording is not affected).', (c) => Object.entries(c.live.dropped).map(([k, v]): [string, number] => [`,reason="${k}"`, v]));
  return out.join('\n') + '\n';
}
