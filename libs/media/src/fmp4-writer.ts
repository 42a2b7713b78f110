import { splitAnnexB } from './codec/annexb';
import { splitAdts } from './codec/adts';
import { expandUlaw } from './codec/g711';
import { H264NalType, h264NalType, isH264Keyframe } from './codec/h264';
import { H265NalType, h265NalType, isH265Keyframe } from './codec/h265';
import { MediaWriteError } from './errors';
import { concatBytes, sameBytes } from '@wyze-nvr/bytes';
import { SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC, type TrackRun, buildMoofAndMdatHeader } from './isobmff/fragment';
import { AUDIO_TRACK_ID, VIDEO_TIMESCALE, VIDEO_TRACK_ID, buildInitSegment } from './isobmff/init-segment';
import type { G711Storage } from './isobmff/sample-entry';
import { type StreamConfig, type VideoTrackConfig, isOutOfBandNal } from './stream-config';

export interface VideoFrameInput {
  /** One access unit in Annex-B form. The writer keeps views into it until the next flush: do not reuse it. */
  data: Uint8Array;
  /** Capture time, integer µs (the Clock's wall-clock time). */
  timeUs: number;
  /** From the camera; when omitted, detected from the NAL unit types (IDR / IRAP). */
  keyframe?: boolean;
}

export interface AudioFrameInput {
  /** AAC: a raw frame or ADTS frame(s) (headers stripped). G.711: µ-law bytes. Kept as a view until flush. */
  data: Uint8Array;
  timeUs: number;
}

export interface FragmentedMp4WriterOptions {
  /** Time zero of the file (µs); decode times are relative to it. Default: the first frame's time. */
  baseTimeUs?: number;
  /** G.711 sample entry: `ulaw` (default: the camera's bytes as-is) or 16-bit PCM in `ipcm` / `sowt` (LE) / `twos` (BE); see README. */
  g711Storage?: G711Storage;
  /** Duration assumed for a lone video frame with no known successor (µs). Default 50 000 (20 fps). */
  defaultVideoFrameUs?: number;
}

/** One moof + mdat, as chunks for a vectored write (fs.writev); concatenating them gives the fragment bytes. */
export interface FragmentOutput {
  chunks: Uint8Array[];
  byteLength: number;
  sequenceNumber: number;
  /** Earliest sample time and end of the latest sample (µs, absolute). */
  startUs: number;
  endUs: number;
  videoSamples: number;
  audioSamples: number;
  /** True when the fragment's first video sample is a sync sample. */
  startsWithKeyframe: boolean;
}

/** The config's list for a parameter-set NAL unit (SPS, PPS, VPS), or undefined for any other NAL unit. */
function parameterSetList(v: VideoTrackConfig, nal: Uint8Array): Uint8Array[] | undefined {
  if (v.codec === 'h264') {
    const t = h264NalType(nal);
    return t === H264NalType.Sps ? v.sps : t === H264NalType.Pps ? v.pps : undefined;
  }
  const t = h265NalType(nal);
  return t === H265NalType.Vps ? v.vps : t === H265NalType.Sps ? v.sps : t === H265NalType.Pps ? v.pps : undefined;
}

/** Samples of one track waiting for the next flush. */
class PendingRun {
  dts: number[] = [];
  sizes: number[] = [];
  flags: number[] = [];
  nominal: number[] = [];
  chunks: Uint8Array[] = [];
  bytes = 0;
  /** Decode time the next sample may not precede: the end of what was already written. */
  minNextDts = 0;
  lastDuration = 0;

  get count(): number {
    return this.dts.length;
  }

  add(dts: number, size: number, flags: number, nominalDuration: number): void {
    const floor = this.count > 0 ? this.dts[this.count - 1] + 1 : this.minNextDts;
    this.dts.push(Math.max(dts, floor));
    this.sizes.push(size);
    this.flags.push(flags);
    this.nominal.push(nominalDuration);
    this.bytes += size;
  }

  /** Takes back the newest sample (its bytes are not written). */
  pop(): void {
    this.dts.pop();
    this.bytes -= this.sizes.pop()!;
    this.flags.pop();
    this.nominal.pop();
    this.chunks.pop();
  }

  /** Durations from consecutive decode times; the last one from `nextDts`, else the previous duration or its nominal. */
  take(trackId: number, nextDts: number | undefined, lastFallback: 'previous' | 'nominal'): { run: TrackRun; chunks: Uint8Array[]; end: number } {
    const n = this.count;
    const durations = new Array<number>(n);
    for (let i = 0; i < n - 1; i++) durations[i] = this.dts[i + 1] - this.dts[i];
    let last: number;
    if (nextDts !== undefined && nextDts > this.dts[n - 1]) last = nextDts - this.dts[n - 1];
    else if (lastFallback === 'previous' && n >= 2) last = durations[n - 2];
    else if (lastFallback === 'previous' && this.lastDuration > 0) last = this.lastDuration;
    else last = this.nominal[n - 1];
    durations[n - 1] = last;
    const run: TrackRun = { trackId, baseMediaDecodeTime: this.dts[0], durations, sizes: this.sizes, flags: this.flags };
    const chunks = this.chunks;
    const end = this.dts[n - 1] + last;
    this.minNextDts = end;
    this.lastDuration = last;
    this.dts = [];
    this.sizes = [];
    this.flags = [];
    this.nominal = [];
    this.chunks = [];
    this.bytes = 0;
    return { run, chunks, end };
  }
}

/**
 * Fragmented MP4 (ISO/IEC 14496-12 §8.8) for a streaming recorder: `init()` once, frames as they arrive,
 * `flush()` at each keyframe boundary (one moof + mdat per GOP). Sample bytes are never copied: the
 * output references the caller's frame buffers, plus 4-byte NAL length prefixes (ISO/IEC 14496-15 §4.3).
 */
export class FragmentedMp4Writer {
  private readonly video = new PendingRun();
  private readonly audio = new PendingRun();
  private readonly g711: G711Storage;
  private readonly defaultVideoTicks: number;
  private base: number | undefined;
  private sequenceNumber = 0;
  private sawKeyframe = false;

  constructor(
    readonly config: StreamConfig,
    options: FragmentedMp4WriterOptions = {},
  ) {
    if (!config.video && !config.audio) throw new MediaWriteError('no-track', 'a writer needs a video or an audio track');
    this.base = options.baseTimeUs;
    this.g711 = options.g711Storage ?? 'ulaw';
    this.defaultVideoTicks = Math.round(((options.defaultVideoFrameUs ?? 50_000) * VIDEO_TIMESCALE) / 1e6);
  }

  /** ftyp + moov. */
  init(): Uint8Array {
    return buildInitSegment(this.config, this.g711);
  }

  get baseTimeUs(): number | undefined {
    return this.base;
  }

  /** Samples waiting for the next flush. */
  get pendingSamples(): number {
    return this.video.count + this.audio.count;
  }

  private ticks(timeUs: number, timescale: number): number {
    if (this.base === undefined) this.base = timeUs;
    return Math.round(((timeUs - this.base) * timescale) / 1e6);
  }

  /**
   * Adds one access unit. Parameter sets, AUDs and filler are dropped from the sample (they are in the sample
   * entry); a frame whose parameter sets differ from the track config throws MediaWriteError('config-changed')
   * before anything is added: flush, then start a new file. Returns false for a frame with no picture NAL units.
   */
  addVideoFrame(frame: VideoFrameInput): boolean {
    const v = this.config.video;
    if (!v) throw new MediaWriteError('no-track', 'no video track');
    const nals = splitAnnexB(frame.data);
    const keyframe = frame.keyframe ?? (v.codec === 'h264' ? isH264Keyframe(nals) : isH265Keyframe(nals));
    this.checkParameterSets(nals); // any frame may carry parameter sets; they are dropped from samples
    let count = 0;
    for (const nal of nals) if (!isOutOfBandNal(v.codec, nal)) count++;
    if (count === 0) return false;
    if (!this.sawKeyframe && !keyframe) throw new MediaWriteError('not-keyframe', 'the first video frame of a file must be a keyframe');
    this.sawKeyframe = true;

    const prefixes = new Uint8Array(4 * count);
    const dv = new DataView(prefixes.buffer);
    let size = 0;
    let k = 0;
    for (const nal of nals) {
      if (isOutOfBandNal(v.codec, nal)) continue;
      dv.setUint32(4 * k, nal.length); // NALUnitLength (lengthSizeMinusOne = 3)
      this.video.chunks.push(prefixes.subarray(4 * k, 4 * k + 4), nal);
      size += 4 + nal.length;
      k++;
    }
    this.video.add(this.ticks(frame.timeUs, VIDEO_TIMESCALE), size, keyframe ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC, this.defaultVideoTicks);
    return true;
  }

  private checkParameterSets(nals: readonly Uint8Array[]): void {
    const v = this.config.video!;
    for (const nal of nals) {
      const list = parameterSetList(v, nal);
      if (list && !list.some((x) => sameBytes(x, nal))) {
        throw new MediaWriteError('config-changed', `${v.codec} parameter sets changed: start a new file`);
      }
    }
  }

  /**
   * Adds one audio payload. AAC: a raw frame, or one or more ADTS frames (headers stripped; the k-th frame
   * is timed k × 1024 samples after `timeUs`). G.711: µ-law bytes, one sample per byte per channel.
   */
  addAudioFrame(frame: AudioFrameInput): void {
    const a = this.config.audio;
    if (!a) throw new MediaWriteError('no-track', 'no audio track');
    const data = frame.data;
    if (data.length === 0) return;
    if (a.codec === 'aac') {
      if (data.length >= 7 && data[0] === 0xff && (data[1] & 0xf6) === 0xf0) {
        const frames = splitAdts(data);
        frames.forEach((f, k) => this.addAudioSample(f.payload, frame.timeUs + Math.round((k * 1024 * 1e6) / a.sampleRate), 1024));
      } else {
        this.addAudioSample(data, frame.timeUs, 1024);
      }
      return;
    }
    const samples = Math.max(1, Math.floor(data.length / a.channels));
    this.addAudioSample(this.g711 === 'ulaw' ? data : expandUlaw(data, this.g711 === 'twos' ? 'be' : 'le'), frame.timeUs, samples);
  }

  private addAudioSample(data: Uint8Array, timeUs: number, nominalDuration: number): void {
    if (data.length === 0) return;
    this.audio.chunks.push(data);
    this.audio.add(this.ticks(timeUs, this.config.audio!.sampleRate), data.length, SAMPLE_FLAGS_SYNC, nominalDuration);
  }

  /**
   * Drops the pending audio samples that start at or after `timeUs`, so the next fragment ends there (footage
   * stops, e.g. at a hole in the video). Returns how many were dropped.
   */
  dropAudioFrom(timeUs: number): number {
    const a = this.audio;
    if (!this.config.audio || a.count === 0) return 0;
    const t = this.ticks(timeUs, this.config.audio.sampleRate);
    let n = 0;
    for (; a.count > 0 && a.dts[a.count - 1] >= t; n++) a.pop();
    return n;
  }

  /**
   * Emits the pending samples as one fragment, or null when nothing is pending. `nextVideoTimeUs`, when known
   * (the keyframe that triggers the flush), gives the last video sample its true duration.
   */
  flush(nextVideoTimeUs?: number): FragmentOutput | null {
    if (this.video.count === 0 && this.audio.count === 0) return null;
    const runs: TrackRun[] = [];
    const sampleChunks: Uint8Array[][] = [];
    let startUs = Infinity;
    let endUs = -Infinity;
    const toUs = (t: number, timescale: number) => this.base! + Math.round((t * 1e6) / timescale);
    const startsWithKeyframe = this.video.count > 0 && this.video.flags[0] === SAMPLE_FLAGS_SYNC;
    const videoSamples = this.video.count;
    const audioSamples = this.audio.count;
    if (this.video.count > 0) {
      const next = nextVideoTimeUs === undefined ? undefined : this.ticks(nextVideoTimeUs, VIDEO_TIMESCALE);
      const { run, chunks: c, end } = this.video.take(VIDEO_TRACK_ID, next, 'previous');
      runs.push(run);
      sampleChunks.push(c);
      startUs = Math.min(startUs, toUs(run.baseMediaDecodeTime, VIDEO_TIMESCALE));
      endUs = Math.max(endUs, toUs(end, VIDEO_TIMESCALE));
    }
    if (this.audio.count > 0) {
      const rate = this.config.audio!.sampleRate;
      const { run, chunks: c, end } = this.audio.take(AUDIO_TRACK_ID, undefined, 'nominal');
      runs.push(run);
      sampleChunks.push(c);
      startUs = Math.min(startUs, toUs(run.baseMediaDecodeTime, rate));
      endUs = Math.max(endUs, toUs(end, rate));
    }
    const header = buildMoofAndMdatHeader(++this.sequenceNumber, runs);
    const chunks: Uint8Array[] = [header];
    let byteLength = header.length;
    for (const list of sampleChunks) {
      for (const c of list) {
        chunks.push(c);
        byteLength += c.length;
      }
    }
    return { chunks, byteLength, sequenceNumber: this.sequenceNumber, startUs, endUs, videoSamples, audioSamples, startsWithKeyframe };
  }

  /** flush() as one contiguous buffer (one copy of the samples). */
  flushFragment(nextVideoTimeUs?: number): Uint8Array | null {
    const out = this.flush(nextVideoTimeUs);
    return out && concatBytes(...out.chunks);
  }
}
