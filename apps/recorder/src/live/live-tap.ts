import { sameAudioConfig, sameVideoConfig, videoConfigFromAccessUnit, type AudioTrackConfig, type VideoCodec, type VideoTrackConfig } from '@wyze-nvr/media';
import type { FrameConsumer } from '../pipeline/frame-consumer';
import { isKeyframeAccessUnit } from '../segment/keyframe';
import type { TimedFrame } from '../segment/segmenter';
import { LiveAudioConverter } from './live-audio';
import { LiveFormat } from './live-format';
import { GopCache, LiveBundle, type LiveFragment } from './live-fragment';
import { LiveViewer, type ViewerSink } from './live-viewer';
import type { ViewerCodecs } from './viewer-codecs';

export interface LiveTapOptions {
  /** Viewers at a time (RECORDER_LIVE_MAX_VIEWERS). */
  maxViewers: number;
  /** Each viewer's queue bound (RECORDER_LIVE_QUEUE_BYTES). */
  maxQueueBytes: number;
  /** GOP cache bounds. Defaults 8 MiB and 1200 frames (a minute of 20 fps video). */
  gopMaxBytes?: number;
  gopMaxFrames?: number;
}

export interface LiveTapStats {
  /** Fragments muxed (one per frame, whatever the number of viewers). */
  fragments: number;
  /** Frames the tap could not use, by reason. */
  dropped: { beforeKeyframe: number; unsupportedCodec: number; invalid: number };
  /** Skips and skipped frames of viewers that have left (the current ones' are added by `snapshot`). */
  pastSkips: number;
  pastSkippedFrames: number;
  formats: number;
}

export interface LiveTapSnapshot {
  viewers: { websocket: number; mp4: number };
  skips: number;
  skippedFrames: number;
  queuedBytes: number;
  gopBytes: number;
  gopFrames: number;
  gopOverflows: number;
  fragments: number;
  dropped: LiveTapStats['dropped'];
}

/** The newest keyframe and the parameter sets it decodes with (snapshots). */
export interface LatestKeyframe {
  timeUs: number;
  video: VideoTrackConfig;
  fragment: Uint8Array;
}

/** Held audio goes out alone once it spans this long without a video frame (a camera whose video stalled). */
const AUDIO_HOLD_US = 100_000;

const videoCodecOf = (codec: number): VideoCodec | undefined => (codec === 0x4e ? 'h264' : codec === 0x50 ? 'h265' : undefined);

/**
 * One camera's live view, a consumer of its pipeline. Each frame is muxed once into a fragment (a copy of
 * its bytes: the pool buffer goes back to the recorder at its own pace, and one contiguous fragment is what
 * every viewer's socket writes), kept in the GOP cache, and offered to each viewer. `push` does that much
 * and returns: no viewer can hold the frame path (ARCHITECTURE "Consumers of frames").
 */
export class LiveTap implements FrameConsumer {
  readonly name = 'live';
  private readonly viewers = new Set<LiveViewer>();
  private readonly kinds = new Map<LiveViewer, 'websocket' | 'mp4'>();
  private reserved = 0;
  private readonly gop: GopCache;
  private readonly audioIn = new LiveAudioConverter();
  private format: LiveFormat | undefined;
  private video: VideoTrackConfig | undefined;
  private audio: AudioTrackConfig | undefined;
  private videoVersion = 0;
  private audioVersion = 0;
  private timeBaseUs: number | undefined;
  /** A keyframe of the current format has been muxed: later frames can be decoded. */
  private keyframeSeen = false;
  /** The format changed: viewers get it with the next fragment. */
  private restartPending = false;
  /** Audio fragments waiting to go out with the next video fragment (LiveBundle). */
  private heldAudio: LiveFragment[] = [];
  private latest: LatestKeyframe | undefined;
  readonly stats: LiveTapStats = { fragments: 0, dropped: { beforeKeyframe: 0, unsupportedCodec: 0, invalid: 0 }, pastSkips: 0, pastSkippedFrames: 0, formats: 0 };

  constructor(private readonly o: LiveTapOptions) {
    this.gop = new GopCache(o.gopMaxBytes ?? 8 * 1024 * 1024, o.gopMaxFrames ?? 1200);
  }

  get latestKeyframe(): LatestKeyframe | undefined {
    return this.latest;
  }

  /** Holds a viewer slot while the connection is set up; false when the camera has its maximum of viewers. */
  reserve(): boolean {
    if (this.viewers.size + this.reserved >= this.o.maxViewers) return false;
    this.reserved++;
    return true;
  }

  /** Gives back a slot from `reserve` that did not become a viewer. */
  unreserve(): void {
    if (this.reserved > 0) this.reserved--;
  }

  /** Turns a reserved slot into a viewer, started at the cached GOP when the stream has a format. */
  addViewer(sink: ViewerSink, codecs: ViewerCodecs, kind: 'websocket' | 'mp4'): LiveViewer {
    this.unreserve();
    const v = new LiveViewer(sink, codecs, this.o.maxQueueBytes, kind === 'websocket');
    this.viewers.add(v);
    this.kinds.set(v, kind);
    if (this.format && !v.start(this.format, this.gop.entries)) this.removeViewer(v);
    return v;
  }

  removeViewer(v: LiveViewer): void {
    if (!this.viewers.delete(v)) return;
    this.kinds.delete(v);
    v.detach();
    this.stats.pastSkips += v.stats.skips;
    this.stats.pastSkippedFrames += v.stats.skippedFrames;
  }

  /** Ends every viewer (the recorder stops). */
  close(): void {
    for (const v of [...this.viewers]) {
      v.finish('stopped', 'the recorder is stopping');
      this.removeViewer(v);
    }
  }

  push(f: Readonly<TimedFrame>): void {
    if (f.kind === 'video') this.pushVideo(f);
    else this.pushAudio(f);
  }

  private pushVideo(f: Readonly<TimedFrame>): void {
    const codec = videoCodecOf(f.codec);
    if (!codec) {
      this.stats.dropped.unsupportedCodec++;
      return;
    }
    const key = isKeyframeAccessUnit(codec, f.data);
    if (key) {
      let config: VideoTrackConfig | null = null;
      try {
        config = videoConfigFromAccessUnit(codec, f.data);
      } catch {
        config = null; // unreadable parameter sets: as if there were none
      }
      if (config && !sameVideoConfig(config, this.video)) {
        this.video = config;
        this.videoVersion++;
        this.timeBaseUs ??= f.timeUs - 1_000_000; // a second of room for audio stamped before the first keyframe
        this.newFormat(false);
      }
      if (!this.format || this.video?.codec !== codec) {
        this.stats.dropped.invalid++; // a keyframe without parameter sets cannot start a stream (FACTS §10.5)
        return;
      }
      this.keyframeSeen = true;
    } else if (!this.keyframeSeen || this.video?.codec !== codec) {
      this.stats.dropped.beforeKeyframe++;
      return;
    }
    const bytes = this.format!.fragmenter.video(f.data, f.timeUs, key);
    if (!bytes) return;
    this.stats.fragments++;
    const frag: LiveFragment = { bytes, video: true, keyframe: key, timeUs: f.timeUs, seq: this.stats.fragments };
    if (key) {
      this.gop.restart(frag);
      this.latest = { timeUs: f.timeUs, video: this.video!, fragment: bytes };
    } else this.gop.add(frag);
    this.offer(frag);
  }

  private pushAudio(f: Readonly<TimedFrame>): void {
    const a = this.audioIn.convert(f.codec, f.data, f.sampleRate ?? 16000, f.channels ?? 1);
    if (!a) {
      this.stats.dropped.invalid++;
      return;
    }
    if (a.config !== this.audio && !sameAudioConfig(a.config, this.audio)) {
      this.audio = a.config;
      this.audioVersion++;
      if (this.video) this.newFormat(true);
    }
    if (!this.format || !this.keyframeSeen) {
      this.stats.dropped.beforeKeyframe++;
      return;
    }
    const bytes = this.format.fragmenter.audio(a.samples, a.durations, f.timeUs);
    if (!bytes) return;
    this.stats.fragments++;
    const frag: LiveFragment = { bytes, video: false, keyframe: false, timeUs: f.timeUs, seq: this.stats.fragments };
    this.gop.add(frag);
    this.heldAudio.push(frag);
    if (this.restartPending || f.timeUs - this.heldAudio[0].timeUs >= AUDIO_HOLD_US) this.offer(undefined);
  }

  /** A new video or audio config: new init segments; an audio change keeps the GOP's video. */
  private newFormat(audioOnly: boolean): void {
    this.format = new LiveFormat(this.video!, this.audio, this.videoVersion, this.audioVersion, this.timeBaseUs!);
    this.stats.formats++;
    this.restartPending = true;
    this.heldAudio = [];
    if (audioOnly) this.gop.dropAudio();
    else {
      this.gop.clear();
      this.keyframeSeen = false;
    }
  }

  /** Offers `video` (if any) with the held audio to every viewer. */
  private offer(video: LiveFragment | undefined): void {
    const bundle = new LiveBundle(video, this.heldAudio);
    this.heldAudio = [];
    const formatChanged = this.restartPending;
    this.restartPending = false;
    for (const v of this.viewers) {
      // After a change each viewer gets the new format with the GOP so far (these fragments included).
      if (formatChanged) {
        if (!v.start(this.format!, this.gop.entries)) this.removeViewer(v);
      } else v.deliver(bundle);
    }
  }

  snapshot(): LiveTapSnapshot {
    const viewers = { websocket: 0, mp4: 0 };
    let skips = this.stats.pastSkips;
    let skippedFrames = this.stats.pastSkippedFrames;
    let queuedBytes = 0;
    for (const v of this.viewers) {
      viewers[this.kinds.get(v)!]++;
      skips += v.stats.skips;
      skippedFrames += v.stats.skippedFrames;
      queuedBytes += v.sink.buffered;
    }
    return {
      viewers,
      skips,
      skippedFrames,
      queuedBytes,
      gopBytes: this.gop.bytes,
      gopFrames: this.gop.entries.length,
      gopOverflows: this.gop.overflows,
      fragments: this.stats.fragments,
      dropped: { ...this.stats.dropped },
    };
  }
}
