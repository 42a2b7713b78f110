import { performance } from 'node:perf_hooks';
import type { Logger } from '@wyze-nvr/log';
import type { FrameBufferPool } from '@wyze-nvr/tutk';
import { KeyframeThumbnailer, MotionDetector, type LumaPicture, type MotionCodec, type MotionDetectorEvent, type MotionFrame } from '@wyze-nvr/motion';
import type { EventRecord } from '../index/recorder-store';
import type { MotionSettings } from '@wyze-nvr/config';
import { isKeyframeAccessUnit } from '../segment/keyframe';
import { GopActivityRecorder, type ActivityRecord } from './gop-activity';

/** Decodes keyframes to small grey pictures, answers in order (KeyframeThumbnailer; a fake in tests). */
export interface KeyframeDecoder {
  /** `written` is called once, when the decoder no longer reads `keyframe`'s bytes. */
  decode(keyframe: Uint8Array, written?: () => void): Promise<LumaPicture>;
  /** Ends the input; pictures still held come out before it resolves. */
  close(): Promise<void>;
}

export interface CameraMotionStats {
  /** Video frames given to the detector. */
  frames: number;
  /** Detector exceptions: the frame (or picture) is skipped, recording goes on. */
  errors: number;
  /** Keyframe decodes that failed (ffmpeg missing, exited, or an undecodable keyframe). */
  pictureErrors: number;
  /** Keyframes decided without a picture because the decoder was down or too far behind. */
  picturesSkipped: number;
  eventsStarted: number;
  eventsEnded: number;
  /** Time spent in the detector on the recorder's thread, µs (ffmpeg's own CPU is not in it). */
  detectorUs: number;
}

export interface CameraMotionOptions {
  cameraId: number;
  settings: MotionSettings;
  /** Where event rows go: the camera's IndexQueue, which keeps them through a database outage. */
  write: (e: EventRecord) => void;
  /** Where the per-GOP activity of each minute goes (the camera's IndexQueue); none: not recorded. */
  writeActivity?: (a: ActivityRecord) => void;
  logger: Logger;
  /** Default: one KeyframeThumbnailer (a long-lived ffmpeg) per camera and codec. */
  decoder?: (codec: MotionCodec) => KeyframeDecoder;
  /** ms; for the decoder restart delay. */
  now?: () => number;
  /** The pool the camera's frame buffers come from: a keyframe being decoded is held in it until ffmpeg has it. */
  framePool?: FrameBufferPool;
  /** Told as each event starts and ends (MQTT publishes motion ON/OFF); a listener that throws is counted as a detector error. */
  onTransition?: (t: MotionTransition) => void;
}

/** An event starting or ending, as the recorder decided it. */
export interface MotionTransition {
  type: 'start' | 'end';
  event: EventRecord;
  /** Frame time of the newest frame the detector had when it decided (≥ the event's start: the detector's own delay). */
  decidedAtUs: number;
}

const CODECS: Record<number, MotionCodec> = { 0x4e: 'h264', 0x50: 'h265' };
const EMPTY = new Uint8Array(0);
/** Keyframes at ffmpeg at once; it answers one or two behind, so more means it is not keeping up. */
const MAX_DECODES_IN_FLIGHT = 4;
/** A decoder that failed is started again after this long (not at every keyframe). */
const DECODER_RETRY_MS = 30_000;

/**
 * One camera's motion detection beside its recording: video frames (after the segmenter has taken them)
 * → MotionDetector → `events` rows through the index queue. Keyframes are decoded to thumbnails off the
 * recording path (ffmpeg, answers awaited asynchronously); when the decoder is down or behind, keyframes
 * are decided without a picture. Nothing here throws into the recorder: a detector error is logged and
 * counted. A session's end ends an event in progress; the next session starts a fresh detector.
 */
/** The detector of one camera session and the event it has in progress (its row was written with end null). */
interface SessionDetector {
  detector: MotionDetector;
  open: EventRecord | undefined;
}

export class CameraMotion {
  private session: SessionDetector;
  private decoder: KeyframeDecoder | undefined;
  private decoderCodec: MotionCodec | undefined;
  private decoderFailedAtMs = -Infinity;
  private inFlight = 0;
  private readonly frame: MotionFrame = { timeUs: 0, keyframe: false, data: EMPTY, codec: 'h264' };
  private ending: Promise<void> = Promise.resolve();
  /** Frame time of the newest frame pushed. */
  private lastFrameUs = 0;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly activity: GopActivityRecorder | undefined;
  readonly stats: CameraMotionStats = { frames: 0, errors: 0, pictureErrors: 0, picturesSkipped: 0, eventsStarted: 0, eventsEnded: 0, detectorUs: 0 };

  constructor(private readonly o: CameraMotionOptions) {
    this.log = o.logger.child({ cameraId: o.cameraId, component: 'motion' });
    this.now = o.now ?? Date.now;
    this.session = this.newSession();
    this.activity = o.writeActivity && new GopActivityRecorder(o.cameraId, o.writeActivity);
  }

  /** Whether the current session has an event in progress. */
  get active(): boolean {
    return this.session.open !== undefined;
  }

  /** One video frame (FRAMEINFO codec id, Annex B, wall-clock µs). Never throws. */
  push(codecId: number, data: Uint8Array, timeUs: number): void {
    const codec = CODECS[codecId];
    if (!codec) return;
    const t0 = performance.now();
    const f = this.frame;
    try {
      f.timeUs = timeUs;
      this.lastFrameUs = timeUs;
      f.codec = codec;
      f.data = data;
      // The FRAMEINFO flag is not trusted (FACTS §10.5); the segmenter decides keyframes the same way.
      f.keyframe = isKeyframeAccessUnit(codec, data);
      this.stats.frames++;
      const detector = this.session.detector;
      this.apply(this.session, detector.push(f));
      this.activity?.frame(timeUs, f.keyframe, detector.lastScore);
      if (f.keyframe && this.o.settings.keyframePictures) this.requestPicture(codec, timeUs, data);
    } catch (e) {
      this.failed(e);
    } finally {
      f.data = EMPTY;
      this.stats.detectorUs += (performance.now() - t0) * 1000;
    }
  }

  /**
   * The camera's session ended: pictures ffmpeg still holds are applied, then an event in progress ends
   * (its row gets its end). Resolves when that is queued; frames of a next session go to a new detector
   * meanwhile.
   */
  endSession(): Promise<void> {
    const ended = this.session;
    const decoder = this.decoder;
    this.activity?.endSession();
    this.session = this.newSession();
    this.decoder = undefined;
    this.decoderCodec = undefined;
    const previous = this.ending;
    this.ending = (async () => {
      await previous;
      if (decoder) await decoder.close().catch((e: unknown) => this.log.debug({ err: e }, 'keyframe decoder close failed'));
      this.run(ended, () => ended.detector.flush());
      this.activity?.writeChanged(); // scores from the session's last pictures
    })();
    return this.ending;
  }

  /** Resolves when every ended session's last event is queued. */
  idle(): Promise<void> {
    return this.ending;
  }

  private newSession(): SessionDetector {
    const s = this.o.settings;
    const detector = new MotionDetector({
      sensitivity: s.sensitivity,
      minEventUs: s.minEventMs * 1000,
      mergeGapUs: s.mergeGapMs * 1000,
      preRollUs: s.preRollMs * 1000,
      postRollUs: s.postRollMs * 1000,
      keyframePictures: s.keyframePictures,
    });
    return { detector, open: undefined };
  }

  private requestPicture(codec: MotionCodec, timeUs: number, data: Uint8Array): void {
    const session = this.session;
    const decoder = this.inFlight < MAX_DECODES_IN_FLIGHT ? this.decoderFor(codec) : undefined;
    if (!decoder) {
      // Decided now from the slice headers alone, rather than after the detector gives the picture up.
      this.stats.picturesSkipped++;
      this.apply(session, session.detector.pushPicture(timeUs, null));
      return;
    }
    this.inFlight++;
    // The frame's buffer may be pooled (FrameBufferPool): held until ffmpeg has the bytes.
    const pool = this.o.framePool;
    const held = pool?.retain(data) ?? false;
    decoder.decode(data, held ? () => pool!.release(data) : undefined).then(
      (picture) => {
        this.inFlight--;
        this.run(session, () => session.detector.pushPicture(timeUs, picture));
      },
      (e: unknown) => {
        this.inFlight--;
        this.stats.pictureErrors++;
        this.decoderFailed(decoder, e);
        this.run(session, () => session.detector.pushPicture(timeUs, null));
      },
    );
  }

  private decoderFor(codec: MotionCodec): KeyframeDecoder | undefined {
    if (this.decoder && this.decoderCodec === codec) return this.decoder;
    if (this.decoder) void this.decoder.close().catch(() => undefined);
    this.decoder = undefined;
    if (this.now() - this.decoderFailedAtMs < DECODER_RETRY_MS) return undefined;
    try {
      this.decoder = (this.o.decoder ?? ((c: MotionCodec) => new KeyframeThumbnailer(c)))(codec);
      this.decoderCodec = codec;
    } catch (e) {
      this.decoderFailed(undefined, e);
    }
    return this.decoder;
  }

  private decoderFailed(decoder: KeyframeDecoder | undefined, e: unknown): void {
    if (decoder && decoder !== this.decoder) return; // an earlier decoder's failure, already handled
    if (decoder) void decoder.close().catch(() => undefined);
    this.decoder = undefined;
    this.decoderCodec = undefined;
    this.decoderFailedAtMs = this.now();
    this.log.warn({ err: e instanceof Error ? e.message : String(e) }, `keyframe pictures unavailable; motion from slice headers alone for ${DECODER_RETRY_MS / 1000} s`);
  }

  /** Detector work outside push (pictures, flush), timed and guarded the same way. */
  private run(session: SessionDetector, step: () => MotionDetectorEvent[]): void {
    const t0 = performance.now();
    try {
      this.apply(session, step());
    } catch (e) {
      this.failed(e);
    } finally {
      this.stats.detectorUs += (performance.now() - t0) * 1000;
    }
  }

  private apply(session: SessionDetector, events: readonly MotionDetectorEvent[]): void {
    if (this.activity) for (const k of session.detector.takeKeyframeScores()) this.activity.keyframeScore(k.fromUs, k.toUs, k.score);
    for (const e of events) {
      if (e.type === 'start') {
        session.open = { cameraId: this.o.cameraId, openedStartUs: e.startUs, startUs: e.startUs, endUs: null, peakScore: 0, preRollUs: e.preRollUs, postRollUs: e.postRollUs };
        this.stats.eventsStarted++;
        this.o.write(session.open);
        this.o.onTransition?.({ type: 'start', event: { ...session.open }, decidedAtUs: this.lastFrameUs });
        this.log.info({ startUs: e.startUs, decidedAtUs: this.lastFrameUs }, 'motion started');
      } else {
        const openedStartUs = session.open?.openedStartUs ?? e.startUs;
        session.open = undefined;
        this.stats.eventsEnded++;
        const ended: EventRecord = { cameraId: this.o.cameraId, openedStartUs, startUs: e.startUs, endUs: e.endUs, peakScore: e.peakScore, preRollUs: e.preRollUs, postRollUs: e.postRollUs };
        this.o.write(ended);
        this.o.onTransition?.({ type: 'end', event: ended, decidedAtUs: this.lastFrameUs });
        this.log.info({ startUs: e.startUs, endUs: e.endUs, decidedAtUs: this.lastFrameUs, peakScore: Number(e.peakScore.toFixed(2)), sources: e.sources }, 'motion ended');
      }
    }
  }

  private failed(e: unknown): void {
    // Logged the first time and then every 100th, so a detector broken by some stream cannot flood the log.
    if (this.stats.errors++ % 100 === 0) this.log.error({ err: e, errors: this.stats.errors }, 'motion detector error (recording continues)');
  }
}
