/**
 * What `wyze-nvr probe` sees after the handshake: frames counted and measured for a while, the picture
 * size read from every keyframe (a resolution command changes it mid-stream, FACTS §9.1), and, when no video
 * frame came, the likely reason read from the session's counters.
 */
// The client side of tutk only, and of media only the parameter-set reader: see probe.command.ts.
import { TutkSessionError, type CameraSession, type CameraSessionStats } from '@wyze-nvr/tutk/client';
import { Codec, sampleRateOfIndex, type Frame } from '@wyze-nvr/tutk/frames';
import { videoConfigFromAccessUnit } from '@wyze-nvr/media/stream-config';

export interface PictureSize {
  width: number;
  height: number;
}

export interface StreamReport {
  seconds: number;
  firstFrameMs?: number;
  firstKeyframeMs?: number;
  firstAudioMs?: number;
  /** `width`×`height` is the size at the end; `sizes` every size in the order the keyframes showed them. */
  video?: { codec: string; width?: number; height?: number; sizes: PictureSize[]; frames: number; keyframes: number; fps: number };
  audio?: { codec: string; sampleRate: number; channels: number; frames: number; fps: number };
  bytes: number;
  bytesPerSecond: number;
  /** The session ended by itself while watching (not by our deadline). */
  error?: TutkSessionError;
}

/** The counters the no-video diagnosis compares before and after watching. */
export interface StreamCounters {
  /** Decrypted channel-0 records of any kind. */
  records: number;
  /** Records the frame assembler took as media packets. */
  mediaPackets: number;
  /** Channel-0 records that were neither media in the format asked for nor a known command (FACTS §8.1, §10.1). */
  unknownMagic: number;
  /** Media packets and frames the assembler gave up on. */
  packetsDropped: number;
  framesDropped: number;
}

export function streamCounters(st: CameraSessionStats): StreamCounters {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    records: st.records,
    mediaPackets: st.assembler.packets,
    unknownMagic: st.drops['av:unknown-magic'] ?? 0,
    packetsDropped: sum(st.assembler.packetsDropped),
    framesDropped: sum(st.assembler.framesDropped),
  };
}

function pictureSize(codec: 'h264' | 'h265', keyframe: Frame): PictureSize | undefined {
  try {
    const c = videoConfigFromAccessUnit(codec, keyframe.data);
    return c ? { width: c.width, height: c.height } : undefined;
  } catch {
    // Unreadable parameter sets: this keyframe tells no size.
    return undefined;
  }
}

/** Reads frames for `ms` and measures them. */
export async function watchStream(s: CameraSession, ms: number, signal: AbortSignal): Promise<StreamReport> {
  const t0 = Date.now();
  const r: StreamReport = { seconds: 0, bytes: 0, bytesPerSecond: 0 };
  let videoFrames = 0;
  let keyframes = 0;
  let audioFrames = 0;
  let codec: 'h264' | 'h265' | undefined;
  const sizes: PictureSize[] = [];
  let firstAudio: Frame | undefined;
  const stop = setTimeout(() => s.close(), ms);
  const onAbort = () => s.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const f of s.frames()) {
      const at = Date.now() - t0;
      r.firstFrameMs ??= at;
      r.bytes += f.data.length;
      if (f.kind === 'video') {
        videoFrames++;
        codec = f.codec === Codec.H265 ? 'h265' : 'h264';
        if (!f.keyframe) continue;
        keyframes++;
        r.firstKeyframeMs ??= at;
        // Keyframes lead with their parameter sets (FACTS §10.5), so each one tells the size from there on.
        const size = pictureSize(codec, f);
        const last = sizes.at(-1);
        if (size && (size.width !== last?.width || size.height !== last?.height)) sizes.push(size);
      } else {
        audioFrames++;
        if (!firstAudio) {
          firstAudio = f;
          r.firstAudioMs = at;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof TutkSessionError)) throw e;
    r.error = e;
  } finally {
    clearTimeout(stop);
    signal.removeEventListener('abort', onAbort);
  }
  const secs = Math.max(0.001, (Date.now() - t0) / 1000);
  r.seconds = Math.round(secs * 1000) / 1000;
  r.bytesPerSecond = Math.round(r.bytes / secs);
  if (videoFrames) {
    r.video = { codec: codec ?? 'h264', ...sizes.at(-1), sizes, frames: videoFrames, keyframes, fps: Math.round((videoFrames / secs) * 10) / 10 };
  }
  if (firstAudio) {
    const rate = sampleRateOfIndex((firstAudio.info.flags >>> 2) & 15);
    r.audio = { codec: `0x${firstAudio.codec.toString(16)}`, sampleRate: rate, channels: firstAudio.info.flags & 1 ? 2 : 1, frames: audioFrames, fps: Math.round((audioFrames / secs) * 10) / 10 };
  }
  return r;
}

/** "1280x720", or every size in order when a quality switch changed it: "1280x720 → 640x360". */
export function sizeText(sizes: PictureSize[]): string {
  return sizes.length ? sizes.map((s) => `${s.width}x${s.height}`).join(' → ') : '?x?';
}

/**
 * Why no video frame arrived while watching, from the counters before and after: records the client does
 * not recognise, no media at all, audio only, or media that never made a whole frame.
 */
export function noVideoCause(before: StreamCounters, after: StreamCounters, r: StreamReport): string {
  const d = (k: keyof StreamCounters) => after[k] - before[k];
  if (d('unknownMagic') > 0) {
    // The client takes media in both formats whatever it asked at login (direct and resend = 1 wrapped,
    // FACTS §10.1, SEED §9.6), so these are neither media it knows nor a command record.
    return (
      `${d('unknownMagic')} channel-0 records dropped as av:unknown-magic: the camera sends records that are neither media ` +
      'in a format this client knows (FACTS §10.1) nor commands; a --dump shows the drops, please attach it to a bug report'
    );
  }
  if (d('records') === 0) return 'no records at all after the login: the camera is not streaming (another client holds the stream, or it is asleep or busy)';
  if (d('mediaPackets') === 0) return `${d('records')} records but no media: the camera answers commands but is not streaming`;
  if (r.audio) return `only audio arrived (${r.audio.frames} frames): the camera streams no video`;
  if (d('packetsDropped') > 0 || d('framesDropped') > 0) {
    return `${d('mediaPackets')} media packets but no whole video frame (${d('packetsDropped')} packets and ${d('framesDropped')} frames dropped): heavy loss on the path, see drops`;
  }
  return `${d('mediaPackets')} media packets but no whole video frame yet: a longer --seconds may show one`;
}
