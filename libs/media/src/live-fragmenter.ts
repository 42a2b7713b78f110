import { splitAnnexB } from './codec/annexb';
import { MediaWriteError } from './errors';
import { SAMPLE_FLAGS_NON_SYNC, SAMPLE_FLAGS_SYNC, buildMoofAndMdatHeader } from './isobmff/fragment';
import { AUDIO_TRACK_ID, VIDEO_TIMESCALE, VIDEO_TRACK_ID, buildInitSegment } from './isobmff/init-segment';
import { type StreamConfig, isOutOfBandNal } from './stream-config';

export interface LiveFragmenterOptions {
  /** Wall-clock µs that decode time 0 stands for (the live stream's time base). */
  timeBaseUs: number;
  /** Duration given to the first video frame, before an interval is known (µs). Default 50 000 (20 fps). */
  defaultVideoFrameUs?: number;
}

/**
 * Fragments carved one after another out of 1 MiB slabs: one allocation per few seconds of a camera's video
 * instead of one per frame (each ArrayBuffer costs an allocation, zeroing and GC bookkeeping). A slab is freed
 * when no fragment in it is referenced any more (the GOP cache and viewer queues let go within seconds).
 */
class FragmentSlab {
  private slab = new Uint8Array(0);
  private used = 0;

  constructor(private readonly slabBytes = 1 << 20) {}

  alloc = (n: number): Uint8Array => {
    if (n > this.slabBytes / 4) return new Uint8Array(n); // a large keyframe gets its own buffer
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(this.slabBytes);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  };
}

/** A track's timeline on the fragment grid. */
class TrackClock {
  lastDts = -1;
  lastDuration: number;

  constructor(
    readonly timescale: number,
    defaultDuration: number,
  ) {
    this.lastDuration = defaultDuration;
  }

  /** Ticks of `timeUs` past the base, kept strictly increasing (a repeated time moves one tick on). */
  dtsOf(timeUs: number, baseUs: number): number {
    const t = Math.max(0, Math.round(((timeUs - baseUs) * this.timescale) / 1e6));
    return t > this.lastDts ? t : this.lastDts + 1;
  }
}

/**
 * Fragmented MP4 for live viewers (ISO/IEC 14496-12 §8.8): one init segment, then one moof + mdat per camera
 * frame, so a viewer gets each frame the moment it arrives (the recorder's files hold one fragment per GOP:
 * FragmentedMp4Writer). Each fragment is one contiguous buffer — a copy of the frame's sample bytes — so it
 * can be sent as one WebSocket message or HTTP chunk to any number of viewers and outlive the camera's
 * frame buffer.
 *
 * Decode times are the frames' own times on the track timescale, relative to `timeBaseUs`. A frame's
 * duration is not known when it is sent; a video sample gets the interval before it (the next frame's time
 * is what counts for the decoder), an audio sample its own length in samples.
 */
export class LiveFragmenter {
  private sequenceNumber = 0;
  private readonly slab = new FragmentSlab();
  private readonly videoClock: TrackClock;
  private readonly audioClock: TrackClock | undefined;

  constructor(
    readonly config: StreamConfig,
    readonly options: LiveFragmenterOptions,
  ) {
    if (!config.video && !config.audio) throw new MediaWriteError('no-track', 'a live stream needs a video or an audio track');
    this.videoClock = new TrackClock(VIDEO_TIMESCALE, Math.round(((options.defaultVideoFrameUs ?? 50_000) * VIDEO_TIMESCALE) / 1e6));
    this.audioClock = config.audio && new TrackClock(config.audio.sampleRate, 0);
  }

  /** ftyp + moov for this config. */
  init(): Uint8Array {
    return buildInitSegment(this.config, 'ulaw');
  }

  /**
   * One access unit (Annex B) as one fragment: its picture NAL units with 4-byte lengths (parameter sets,
   * AUDs and filler are in the sample entry, or carry nothing). Null when it holds no picture.
   */
  video(annexB: Uint8Array, timeUs: number, keyframe: boolean): Uint8Array | null {
    const v = this.config.video;
    if (!v) throw new MediaWriteError('no-track', 'no video track');
    const nals = splitAnnexB(annexB).filter((nal) => !isOutOfBandNal(v.codec, nal));
    if (nals.length === 0) return null;
    let size = 0;
    for (const nal of nals) size += 4 + nal.length;
    const c = this.videoClock;
    const dts = c.dtsOf(timeUs, this.options.timeBaseUs);
    if (c.lastDts >= 0) c.lastDuration = dts - c.lastDts;
    c.lastDts = dts;
    const run = { trackId: VIDEO_TRACK_ID, baseMediaDecodeTime: dts, durations: [c.lastDuration], sizes: [size], flags: [keyframe ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC] };
    const out = buildMoofAndMdatHeader(++this.sequenceNumber, [run], size, this.slab.alloc);
    const dv = new DataView(out.buffer, out.byteOffset, out.length);
    let o = out.length - size;
    for (const nal of nals) {
      dv.setUint32(o, nal.length); // NALUnitLength (lengthSizeMinusOne = 3)
      out.set(nal, o + 4);
      o += 4 + nal.length;
    }
    return out;
  }

  /**
   * Audio samples (raw AAC frames, or FLAC frames) that follow one another from `timeUs`, as one fragment;
   * `durations[i]` is sample i's length in samples. A start within half a frame of where the previous
   * fragment ended is moved onto it, so camera timestamp jitter leaves neither gaps nor overlaps.
   */
  audio(samples: readonly Uint8Array[], durations: readonly number[], timeUs: number): Uint8Array | null {
    const c = this.audioClock;
    if (!c) throw new MediaWriteError('no-track', 'no audio track');
    if (samples.length === 0) return null;
    let dts = c.dtsOf(timeUs, this.options.timeBaseUs);
    const end = c.lastDts + c.lastDuration;
    if (c.lastDts >= 0 && Math.abs(dts - end) * 2 < durations[0]) dts = end;
    let size = 0;
    let total = 0;
    for (let i = 0; i < samples.length; i++) {
      size += samples[i].length;
      total += durations[i];
    }
    c.lastDts = dts + total - durations[durations.length - 1];
    c.lastDuration = durations[durations.length - 1];
    const flags = samples.map(() => SAMPLE_FLAGS_SYNC);
    const out = buildMoofAndMdatHeader(++this.sequenceNumber, [{ trackId: AUDIO_TRACK_ID, baseMediaDecodeTime: dts, durations, sizes: samples.map((s) => s.length), flags }], size, this.slab.alloc);
    let o = out.length - size;
    for (const s of samples) {
      out.set(s, o);
      o += s.length;
    }
    return out;
  }
}
