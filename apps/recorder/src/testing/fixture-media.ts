// Camera-shaped media from the committed fixtures (test/fixtures/media), for the recorder's tests and the
// emulator they drive: access units with camera timing, ADTS AAC or G.711 µ-law, interleaved by time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitAdts } from '@wyze-nvr/media';
import type { MediaFrame, MediaSource } from '@wyze-nvr/tutk';

export const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'media');

const CODEC = { h264: 0x4e, h265: 0x50, aac: 0x87, pcmu: 0x89 } as const;

/** Splits an Annex-B elementary stream into access units (one slice per picture, first-slice flags honoured). */
export function accessUnits(codec: 'h264' | 'h265', es: Uint8Array): { data: Uint8Array; keyframe: boolean }[] {
  const starts: { at: number; type: number; first: boolean }[] = [];
  for (let i = 0; i + 3 < es.length; i++) {
    if (es[i] === 0 && es[i + 1] === 0 && es[i + 2] === 1) {
      const at = i > 0 && es[i - 1] === 0 ? i - 1 : i;
      const h = es[i + 3];
      if (codec === 'h264') starts.push({ at, type: h & 0x1f, first: (es[i + 4] & 0x80) !== 0 });
      else starts.push({ at, type: (h >> 1) & 0x3f, first: (es[i + 5] & 0x80) !== 0 });
      i += 3;
    }
  }
  const isVcl = (t: number) => (codec === 'h264' ? t >= 1 && t <= 5 : t < 32);
  const isKey = (t: number) => (codec === 'h264' ? t === 5 : t >= 16 && t <= 21);
  const out: { data: Uint8Array; keyframe: boolean }[] = [];
  let auStart = -1;
  let sawVcl = false;
  let key = false;
  for (const s of starts) {
    const startsNew = sawVcl && (!isVcl(s.type) || s.first);
    if (startsNew) {
      out.push({ data: es.subarray(auStart, s.at), keyframe: key });
      auStart = -1;
      sawVcl = false;
      key = false;
    }
    if (auStart < 0) auStart = s.at;
    if (isVcl(s.type)) {
      sawVcl = true;
      key ||= isKey(s.type);
    }
  }
  if (auStart >= 0 && sawVcl) out.push({ data: es.subarray(auStart), keyframe: key });
  return out;
}

export interface FixtureMediaOptions {
  video: 'h264' | 'h265';
  /** default: h264-720p20.h264 / h265-720p20.h265 */
  videoFile?: string;
  /** An Annex-B file anywhere (bench media made by ensureBenchMedia), instead of a fixture. */
  videoPath?: string;
  audio?: 'aac' | 'pcmu' | 'none';
  fps?: number;
}

/** One pass of the fixture: video at `fps`, audio frames interleaved by time (ADTS AAC 16 kHz or 160-byte µ-law at 8 kHz). */
export function fixtureMedia(o: FixtureMediaOptions): { frames: MediaFrame[]; periodUs: number } {
  const fps = o.fps ?? 20;
  const file = o.videoFile ?? (o.video === 'h264' ? 'h264-720p20.h264' : 'h265-720p20.h265');
  const aus = accessUnits(o.video, readFileSync(o.videoPath ?? join(FIXTURES, file)));
  const frameUs = Math.round(1e6 / fps);
  const periodUs = aus.length * frameUs;
  const video: MediaFrame[] = aus.map((au, i) => ({ kind: 'video', codec: CODEC[o.video], keyframe: au.keyframe, data: au.data, timestampUs: i * frameUs }));
  const audio: MediaFrame[] = [];
  if (o.audio === 'aac') {
    const adts = readFileSync(join(FIXTURES, 'aac-16k-mono.aac'));
    let k = 0;
    for (const f of splitAdts(adts)) {
      const t = Math.round((k * 1024 * 1e6) / 16000);
      if (t >= periodUs) break;
      const start = f.payload.byteOffset - adts.byteOffset - f.header.headerLength;
      audio.push({ kind: 'audio', codec: CODEC.aac, keyframe: false, data: adts.subarray(start, start + f.header.frameLength), timestampUs: t, sampleRate: 16000, channels: 1 });
      k++;
    }
  } else if (o.audio === 'pcmu') {
    const ulaw = readFileSync(join(FIXTURES, 'ulaw-8k-mono.ulaw'));
    for (let k = 0; (k + 1) * 160 <= ulaw.length; k++) {
      const t = k * 20_000;
      if (t >= periodUs) break;
      audio.push({ kind: 'audio', codec: CODEC.pcmu, keyframe: false, data: ulaw.subarray(k * 160, (k + 1) * 160), timestampUs: t, sampleRate: 8000, channels: 1 });
    }
  }
  const frames = [...video, ...audio].sort((a, b) => a.timestampUs - b.timestampUs || (a.kind === 'video' ? -1 : 1));
  return { frames, periodUs };
}

export interface PacedSourceOptions {
  /** Media time per wall time (6 = six times real time). */
  speed?: number;
  /** Total media time to send, looping the frames; default one pass. */
  durationUs?: number;
  /** Called for every frame handed to the device. */
  onFrame?: (f: MediaFrame) => void;
}

/** A MediaSource that paces frames by their timestamps (divided by `speed`) and loops them for `durationUs`. */
export function pacedSource(frames: readonly MediaFrame[], periodUs: number, o: PacedSourceOptions = {}): MediaSource {
  const speed = o.speed ?? 1;
  const total = o.durationUs ?? periodUs;
  return {
    async *frames(signal: AbortSignal): AsyncGenerator<MediaFrame> {
      const t0 = performance.now();
      for (let round = 0; ; round++) {
        for (const f of frames) {
          const t = round * periodUs + f.timestampUs;
          if (t >= total) return;
          const due = t0 + t / 1000 / speed;
          const wait = due - performance.now();
          if (wait > 1) {
            const ok = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => {
                signal.removeEventListener('abort', onAbort);
                resolve(true);
              }, wait);
              const onAbort = () => {
                clearTimeout(timer);
                resolve(false);
              };
              signal.addEventListener('abort', onAbort, { once: true });
            });
            if (!ok) return;
          }
          if (signal.aborted) return;
          const out = round === 0 ? f : { ...f, timestampUs: t };
          o.onFrame?.(out);
          yield out;
        }
      }
    },
  };
}
