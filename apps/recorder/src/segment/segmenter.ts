import {
  FragmentedMp4Writer,
  MediaWriteError,
  sameAudioConfig,
  videoConfigFromAccessUnit,
  type AudioTrackConfig,
  type FragmentOutput,
  type StreamConfig,
  type VideoCodec,
} from '@wyze-nvr/media';
import type { SegmentState } from '@wyze-nvr/db';
import { AudioConfigTracker, storedAudioCodec } from './audio-config';
import { isKeyframeAccessUnit } from './keyframe';
import type { SegmentFile, SegmentFileSystem } from './segment-file';
import { segmentPath } from './segment-path';

/** A camera frame after the Clock. */
export interface TimedFrame {
  kind: 'video' | 'audio';
  /** FRAMEINFO codec id (FACTS §10.5). */
  codec: number;
  /** Annex B (video), ADTS/raw AAC or µ-law (audio). The segmenter keeps views into it until the fragment is written. */
  data: Uint8Array;
  timeUs: number;
  /** Audio: from FRAMEINFO [2]. */
  sampleRate?: number;
  channels?: number;
}

/** What the index stores about one file (a `segments` row). */
export interface SegmentRecord {
  cameraId: number;
  path: string;
  startUs: number;
  endUs: number;
  bytes: number;
  videoFrames: number;
  audioFrames: number;
  keyframes: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  state: SegmentState;
}

export interface SegmentListener {
  /** The file exists with its init segment: index it as 'open'. */
  opened(s: Readonly<SegmentRecord>): void;
  /** A fragment reached the file. */
  fragment(s: Readonly<SegmentRecord>, f: FragmentOutput): void;
  /** Final counts; state 'closed', or 'damaged' after a write error. */
  closed(s: Readonly<SegmentRecord>): void;
}

/** Frames the segmenter did not store, by reason. */
export interface SegmenterDrops {
  beforeKeyframe: number;
  unsupportedCodec: number;
  audioConfigPending: number;
  invalid: number;
}

export interface SegmenterOptions {
  cameraId: number;
  root: string;
  /** Target file length: a new file starts at the first keyframe at or after it. */
  segmentUs: number;
  files: SegmentFileSystem;
  listener: SegmentListener;
  /** After the first keyframe of a session, how long to wait for audio before opening a video-only file. Default 1 s. */
  audioProbeUs?: number;
  /**
   * Called at most once per video frame pushed, with its `data`, when the segmenter will not read those
   * bytes again (its fragment is written, or it was dropped): the caller may then reuse the buffer
   * (FrameBufferPool.release). A frame it is never called for was dropped with its file after an error.
   */
  release?: (data: Uint8Array) => void;
}

/** A write to the segment file failed; the segmenter has abandoned the file and waits for the next keyframe. */
export class SegmentWriteError extends Error {
  override readonly name = 'SegmentWriteError';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`writing ${path} failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

const videoCodecOf = (codec: number): VideoCodec | undefined => (codec === 0x4e ? 'h264' : codec === 0x50 ? 'h265' : undefined);

interface TakenFragment {
  frag: FragmentOutput | null;
  buffers: Uint8Array[];
}

interface OpenFile {
  file: SegmentFile;
  writer: FragmentedMp4Writer;
  record: SegmentRecord;
}

/**
 * `push()` may be given the same frame object again and again (the camera pipeline reuses one); whatever
 * is kept past the call is copied (the object, not the sample bytes).
 *
 * Frames → fragmented MP4 files for one camera: one moof + mdat per GOP (flushed when the next keyframe
 * arrives), a new file at the first keyframe after `segmentUs`, or when the video parameter sets, the
 * resolution or the audio config change. Consecutive files of one session are contiguous: a file ends at
 * the time of the keyframe that starts the next one.
 *
 * `push()` returns undefined when the frame was only buffered (the common case), or a promise when a
 * fragment is being written: the caller awaits it before the next frame, which keeps writes in order.
 */
export class Segmenter {
  private readonly o: Required<Omit<SegmenterOptions, 'release'>> & Pick<SegmenterOptions, 'release'>;
  /** Video frame data the pending fragment and the probe read, handed to `release` once written. */
  private held: Uint8Array[] = [];
  private readonly audio = new AudioConfigTracker();
  private open: OpenFile | undefined;
  /** Audio config seen most recently (a file opens with it). */
  private audioConfig: AudioTrackConfig | undefined;
  /** Buffered from the first keyframe while waiting for the first audio frame. */
  private probe: TimedFrame[] = [];
  private probeCodec: VideoCodec | undefined;
  /** The current file's audio no longer matches the camera's: start a new file at the next keyframe. */
  private audioChanged = false;
  /** Time of the newest video frame stored, and its distance from the one before: where footage ends. */
  private lastVideoUs: number | undefined;
  private videoStepUs = 0;
  readonly drops: SegmenterDrops = { beforeKeyframe: 0, unsupportedCodec: 0, audioConfigPending: 0, invalid: 0 };
  /** endAtBoundary() was asked: resolved once the footage ended. */
  private ending: (() => void) | undefined;
  /** The footage ended at a boundary for good: every later frame is dropped. */
  private halted = false;
  /** Totals over the segmenter's life. */
  readonly totals = { videoFrames: 0, audioFrames: 0, bytes: 0, fragments: 0, files: 0 };

  constructor(options: SegmenterOptions) {
    this.o = { audioProbeUs: 1_000_000, ...options };
  }

  get current(): Readonly<SegmentRecord> | undefined {
    return this.open?.record;
  }

  push(f: TimedFrame): Promise<void> | undefined {
    if (this.halted) {
      if (f.kind === 'video') this.o.release?.(f.data);
      return undefined;
    }
    if (f.kind === 'video') return this.pushVideo(f);
    this.pushAudio(f);
    return undefined;
  }

  private pushVideo(f: TimedFrame): Promise<void> | undefined {
    const codec = videoCodecOf(f.codec);
    if (!codec) {
      this.drops.unsupportedCodec++;
      this.o.release?.(f.data);
      return undefined;
    }
    const key = isKeyframeAccessUnit(codec, f.data);
    const o = this.open;
    // A keyframe that ends a fragment is held after that fragment's buffers are taken (onKeyframe).
    if (!(key && o)) this.held.push(f.data);
    if (!o) {
      if (this.probe.length === 0) {
        if (!key) {
          this.drops.beforeKeyframe++;
          this.releaseHeld(this.held.splice(-1));
          return undefined;
        }
        this.noteVideo(f.timeUs);
        this.probe.push({ ...f });
        this.probeCodec = codec;
        return this.audioConfig ? this.startFromProbe() : undefined;
      }
      this.noteVideo(f.timeUs);
      if (key || codec !== this.probeCodec || f.timeUs - this.probe[0].timeUs >= this.o.audioProbeUs) {
        this.probe.push({ ...f });
        return this.startFromProbe();
      }
      this.probe.push({ ...f });
      return undefined;
    }
    this.noteVideo(f.timeUs);
    if (key) return this.onKeyframe(o, codec, f);
    try {
      o.writer.addVideoFrame({ data: f.data, timeUs: f.timeUs, keyframe: false });
    } catch (e) {
      // A P-frame with new parameter sets (config-changed) cannot be stored in this file: skip to the next keyframe.
      if (!(e instanceof MediaWriteError)) throw e;
      this.drops.invalid++;
    }
    return undefined;
  }

  private noteVideo(timeUs: number): void {
    if (this.lastVideoUs !== undefined && timeUs > this.lastVideoUs) this.videoStepUs = timeUs - this.lastVideoUs;
    this.lastVideoUs = timeUs;
  }

  /**
   * Video was lost before the keyframe at `resumeUs` (a network loss): the open file ends with its last video
   * frame, which lasts as long as the one before it, and the audio after that is not kept, so no file spans
   * a hole. Returns where the footage now ends, or undefined when there is no hole (no file open, or the
   * last frame reaches `resumeUs`); the keyframe then starts the next file as usual.
   */
  async cut(resumeUs: number): Promise<number | undefined> {
    if (!this.open && this.probe.length > 0) await this.startFromProbe();
    const o = this.open;
    const last = this.lastVideoUs;
    if (!o || last === undefined) return undefined;
    const endUs = last + this.videoStepUs;
    if (endUs >= resumeUs) return undefined;
    o.writer.dropAudioFrom(endUs);
    await this.writeFragment(o, this.takeFragment(o), endUs);
    await this.finish(o);
    this.lastVideoUs = undefined;
    return o.record.endUs;
  }

  private pushAudio(f: TimedFrame): void {
    const stored = storedAudioCodec(f.codec);
    if (!stored) {
      this.drops.unsupportedCodec++;
      return;
    }
    const config = this.audio.configOf(stored, f.data, f.sampleRate ?? 16000, f.channels ?? 1);
    if (!config) {
      this.drops.invalid++;
      return;
    }
    this.audioConfig = config;
    const o = this.open;
    if (!o) {
      // Buffered with the probe when video has started, else there is no file to put it in yet.
      if (this.probe.length > 0 && f.timeUs >= this.probe[0].timeUs) this.probe.push({ ...f });
      else this.drops.beforeKeyframe++;
      return;
    }
    const fileAudio = o.writer.config.audio;
    if (fileAudio !== config && !sameAudioConfig(fileAudio, config)) {
      this.audioChanged = true;
      this.drops.audioConfigPending++;
      return;
    }
    try {
      o.writer.addAudioFrame({ data: f.data, timeUs: f.timeUs });
    } catch {
      this.drops.invalid++;
    }
  }

  private async onKeyframe(o: OpenFile, codec: VideoCodec, f: TimedFrame): Promise<void> {
    const v = o.writer.config.video!;
    const due = f.timeUs - o.record.startUs >= this.o.segmentUs;
    if (due || this.audioChanged || v.codec !== codec) {
      await this.rotate(o, codec, f);
      return;
    }
    await this.writeFragment(o, this.takeFragment(o, f.timeUs), f.timeUs);
    this.held.push(f.data);
    try {
      o.writer.addVideoFrame({ data: f.data, timeUs: f.timeUs, keyframe: true });
      o.record.keyframes++;
    } catch (e) {
      if (!(e instanceof MediaWriteError) || e.code !== 'config-changed') throw e;
      // New SPS/PPS/VPS (a resolution or encoder change): the flushed file ends here, a new one starts.
      await this.finish(o, f.timeUs);
      await this.startFile(codec, [{ ...f }]);
    }
  }

  /**
   * Ends the footage at the next segment boundary — the keyframe that would start the next file — instead of
   * starting a file there, and stores nothing after it; resolves once the last file is closed (at once when
   * none is open). A planned handover to another recorder stops the camera then, so no file is cut short.
   */
  endAtBoundary(): Promise<void> {
    if (this.halted || !this.open) {
      this.halt();
      return Promise.resolve();
    }
    const before = this.ending;
    return new Promise((resolve) => {
      this.ending = () => {
        before?.();
        resolve();
      };
    });
  }

  private halt(): void {
    this.halted = true;
    this.probe = [];
    this.releaseHeld(this.held.splice(0));
    const done = this.ending;
    this.ending = undefined;
    done?.();
  }

  private async rotate(o: OpenFile, codec: VideoCodec, f: TimedFrame): Promise<void> {
    await this.writeFragment(o, this.takeFragment(o, f.timeUs), f.timeUs);
    if (this.ending) {
      this.o.release?.(f.data);
      try {
        await this.finish(o, f.timeUs);
      } finally {
        this.halt();
      }
      return;
    }
    this.held.push(f.data);
    await this.finish(o, f.timeUs);
    await this.startFile(codec, [{ ...f }]);
  }

  private startFromProbe(): Promise<void> {
    const frames = this.probe;
    const codec = this.probeCodec!;
    this.probe = [];
    return this.startFile(codec, frames);
  }

  /** Opens a file whose first frame is frames[0] (a keyframe) and adds the rest. */
  private async startFile(codec: VideoCodec, frames: TimedFrame[]): Promise<void> {
    const first = frames[0];
    let video;
    try {
      video = videoConfigFromAccessUnit(codec, first.data);
    } catch {
      video = null;
    }
    if (!video) {
      // A keyframe without usable parameter sets cannot start a file (FACTS §10.5: keyframes lead with them).
      this.drops.invalid += frames.filter((x) => x.kind === 'video').length;
      return;
    }
    const config: StreamConfig = { video, audio: this.audioConfig };
    const startUs = first.timeUs;
    const writer = new FragmentedMp4Writer(config, { baseTimeUs: startUs });
    const path = segmentPath(this.o.root, this.o.cameraId, startUs);
    const record: SegmentRecord = {
      cameraId: this.o.cameraId,
      path,
      startUs,
      endUs: startUs,
      bytes: 0,
      videoFrames: 0,
      audioFrames: 0,
      keyframes: 0,
      videoCodec: video.codecString,
      audioCodec: config.audio ? (config.audio.codec === 'aac' ? config.audio.codecString : 'ulaw') : null,
      width: video.width,
      height: video.height,
      state: 'open',
    };
    let file: SegmentFile;
    const init = writer.init();
    try {
      file = await this.o.files.create(path);
    } catch (e) {
      throw new SegmentWriteError(path, { cause: e });
    }
    try {
      await file.write([init], init.length);
    } catch (e) {
      await file.abandon();
      throw new SegmentWriteError(path, { cause: e });
    }
    record.bytes = init.length;
    this.totals.bytes += init.length;
    this.totals.files++;
    this.audioChanged = false;
    const o: OpenFile = { file, writer, record };
    this.open = o;
    this.o.listener.opened(record);
    for (const x of frames) {
      if (x.kind === 'video') {
        try {
          const key = isKeyframeAccessUnit(codec, x.data);
          o.writer.addVideoFrame({ data: x.data, timeUs: x.timeUs, keyframe: key });
          if (key) record.keyframes++;
        } catch {
          this.drops.invalid++;
        }
      } else this.pushAudio(x);
    }
  }

  /** Flushes the writer: the fragment, and the frame buffers it reads (none is read once it is written). */
  private takeFragment(o: OpenFile, nextVideoTimeUs?: number): TakenFragment {
    const frag = o.writer.flush(nextVideoTimeUs);
    const buffers = this.held;
    this.held = [];
    return { frag, buffers };
  }

  private releaseHeld(buffers: Uint8Array[]): void {
    const release = this.o.release;
    if (release) for (const b of buffers) release(b);
  }

  private async writeFragment(o: OpenFile, taken: TakenFragment, nextKeyframeUs?: number): Promise<void> {
    const { frag, buffers } = taken;
    if (!frag) {
      this.releaseHeld(buffers);
      return;
    }
    try {
      await o.file.write(frag.chunks, frag.byteLength);
    } catch (e) {
      this.releaseHeld(buffers);
      this.open = undefined;
      await o.file.abandon();
      o.record.state = 'damaged';
      this.o.listener.closed(o.record);
      throw new SegmentWriteError(o.record.path, { cause: e });
    }
    this.releaseHeld(buffers);
    const r = o.record;
    r.bytes += frag.byteLength;
    r.videoFrames += frag.videoSamples;
    r.audioFrames += frag.audioSamples;
    // A file ends where the keyframe that follows it starts (audio may run a few ms past it).
    r.endUs = Math.max(r.endUs, nextKeyframeUs !== undefined ? Math.min(frag.endUs, nextKeyframeUs) : frag.endUs);
    this.totals.bytes += frag.byteLength;
    this.totals.videoFrames += frag.videoSamples;
    this.totals.audioFrames += frag.audioSamples;
    this.totals.fragments++;
    this.o.listener.fragment(r, frag);
  }

  private async finish(o: OpenFile, endUs?: number): Promise<void> {
    this.open = undefined;
    if (endUs !== undefined) o.record.endUs = Math.max(o.record.startUs, endUs);
    try {
      await o.file.close();
    } catch (e) {
      o.record.state = 'damaged';
      this.o.listener.closed(o.record);
      throw new SegmentWriteError(o.record.path, { cause: e });
    }
    o.record.state = 'closed';
    this.o.listener.closed(o.record);
  }

  /**
   * Ends the session's footage: the last GOP is written and the file closed (fsync). The next frame must be
   * a keyframe again. Frames buffered while probing for audio are written first.
   */
  async close(): Promise<void> {
    if (!this.open && this.probe.length > 0) await this.startFromProbe();
    this.probe = [];
    this.lastVideoUs = undefined;
    const o = this.open;
    if (!o) {
      this.releaseHeld(this.held.splice(0));
      return;
    }
    try {
      await this.writeFragment(o, this.takeFragment(o));
      await this.finish(o);
    } finally {
      // The footage ended before its boundary (the session ended): a pending endAtBoundary() is done too.
      if (this.ending) this.halt();
    }
  }

  /** Drops the open file without another write (after a write error elsewhere); never throws. */
  async abandon(): Promise<void> {
    this.probe = [];
    const o = this.open;
    this.open = undefined;
    if (!o) {
      this.releaseHeld(this.held.splice(0));
      return;
    }
    await o.file.abandon();
    this.releaseHeld(this.held.splice(0));
    o.record.state = 'damaged';
    this.o.listener.closed(o.record);
  }
}
