import { splitAnnexB } from '@wyze-nvr/media';
import { ComplexityScorer, DEFAULT_COMPLEXITY_SCORE_OPTIONS, type ComplexityScoreOptions } from './complexity-score';
import { FrameComplexityReader, type MotionCodec } from './frame-complexity';
import { DEFAULT_KEYFRAME_CHANGE_OPTIONS, KeyframeChangeScorer, type KeyframeChangeOptions, type LumaPicture } from './keyframe-change';
import { MotionEventAssembler, type MotionEvent } from './event-assembler';

/** One coded video frame of a camera, as the recorder has it. */
export interface MotionFrame {
  /** Presentation time, µs. */
  timeUs: number;
  keyframe: boolean;
  /** One access unit, Annex B. */
  data: Uint8Array;
  codec: MotionCodec;
  /**
   * This keyframe decoded to a small luma picture (e.g. 160×90), when the caller decodes keyframes
   * (see KeyframeThumbnailer). Optional: without pictures only the slice-header score runs.
   */
  picture?: LumaPicture;
}

export interface MotionDetectorOptions {
  /** 0…1, default 0.5. Thresholds scale by 2^(1 − 2·sensitivity): 1 halves them, 0 doubles them. */
  sensitivity: number;
  /** Motion shorter than this is not an event, µs. */
  minEventUs: number;
  /** Motion intervals closer than this are one event, µs. */
  mergeGapUs: number;
  /** Reported with each event, for the caller's clip range (which it snaps to keyframes), µs. */
  preRollUs: number;
  postRollUs: number;
  /**
   * With keyframe pictures, complexity motion counts only when a keyframe comparison around it also saw
   * motion, unless its score reaches this many times its threshold.
   */
  strongComplexity: number;
  complexity: ComplexityScoreOptions;
  keyframes: KeyframeChangeOptions;
}

export const DEFAULT_MOTION_DETECTOR_OPTIONS: MotionDetectorOptions = {
  sensitivity: 0.5,
  minEventUs: 1_000_000,
  mergeGapUs: 4_000_000,
  preRollUs: 5_000_000,
  postRollUs: 5_000_000,
  strongComplexity: 3,
  complexity: DEFAULT_COMPLEXITY_SCORE_OPTIONS,
  keyframes: DEFAULT_KEYFRAME_CHANGE_OPTIONS,
};

/** Events carry the configured rolls; the clip is [startUs − preRollUs, endUs + postRollUs) snapped to keyframes. */
export type MotionDetectorEvent = MotionEvent & { preRollUs: number; postRollUs: number };

export interface MotionDetectorStats {
  frames: number;
  /** Frames that could not be scored: no parameter sets yet, unreadable slice headers. */
  unscored: number;
  sliceErrors: number;
  keyframePictures: number;
}

/**
 * Motion detection for one camera, without decoding the stream: feed every frame in order, get event
 * starts and ends. Two scores, either of which marks motion (scores are in multiples of their threshold,
 * so an event's peak of 2 means twice what it took to fire):
 * - complexity: slice bits × 2^(QP/6) of inter pictures against the camera's still baseline, every frame;
 * - keyframes: local change between successive decoded keyframes, once per GOP, when pictures are given.
 * The first carries the timing; the second holds when rate control hides motion from the first (a
 * constant-bitrate encoder spending its budget on sensor noise) and vetoes what only looks like motion to
 * the first (a lighting change that every picture has to code). While keyframes come with pictures,
 * complexity motion waits for the next keyframe comparison to confirm it (so events start up to a GOP
 * late, which the pre-roll covers); a keyframe without a picture releases it unconfirmed.
 */
export class MotionDetector {
  readonly options: MotionDetectorOptions;
  private reader: FrameComplexityReader | null = null;
  private readonly complexity: ComplexityScorer;
  private readonly keyframes: KeyframeChangeScorer;
  private readonly events: MotionEventAssembler;
  private lastTimeUs: number | null = null;
  private lastKeyframeUs: number | null = null;
  /** Whether the previous keyframe comparison saw motion. */
  private lastKeyframeMotion = false;
  /** Complexity motion waiting for a keyframe comparison: [startUs, endUs, score]. */
  private pending: [number, number, number][] = [];
  private confirming = false;
  private frameUs = 50_000;
  readonly stats: MotionDetectorStats = { frames: 0, unscored: 0, sliceErrors: 0, keyframePictures: 0 };

  constructor(options: Partial<MotionDetectorOptions> = {}) {
    const o = { ...DEFAULT_MOTION_DETECTOR_OPTIONS, ...options };
    const scale = 2 ** ((0.5 - Math.max(0, Math.min(1, o.sensitivity))) * 2);
    this.options = o;
    this.complexity = new ComplexityScorer({ ...o.complexity, onLog2: o.complexity.onLog2 * scale });
    this.keyframes = new KeyframeChangeScorer({ ...o.keyframes, threshold: 1 + (o.keyframes.threshold - 1) * scale });
    this.events = new MotionEventAssembler({ minEventUs: o.minEventUs, mergeGapUs: o.mergeGapUs });
  }

  push(frame: MotionFrame): MotionDetectorEvent[] {
    const out: MotionEvent[] = [];
    const t = frame.timeUs;
    if (this.lastTimeUs !== null && t > this.lastTimeUs) this.frameUs = Math.min(1_000_000, t - this.lastTimeUs);
    this.lastTimeUs = t;
    this.stats.frames++;
    if (!this.reader || this.reader.codec !== frame.codec) this.reader = new FrameComplexityReader(frame.codec);

    const fc = this.reader.read(splitAnnexB(frame.data));
    this.stats.sliceErrors += fc.errors;
    if (fc.complexity === null) this.stats.unscored++;
    const c = this.complexity.push(t, { ...fc, intra: fc.intra || frame.keyframe });

    if (frame.keyframe) {
      if (frame.picture) {
        this.stats.keyframePictures++;
        const k = this.keyframes.push(frame.picture);
        const motion = k?.motion ?? false;
        if (motion && this.lastKeyframeUs !== null) this.events.add(this.lastKeyframeUs, t, k!.score / k!.threshold, 'keyframes', out);
        // Pending complexity motion lies between the previous keyframe and this one: either comparison confirms it.
        if (motion || this.lastKeyframeMotion) for (const [s, e, score] of this.pending) this.events.add(s, e, score, 'complexity', out);
        this.lastKeyframeMotion = motion;
        this.confirming = true;
      } else {
        for (const [s, e, score] of this.pending) this.events.add(s, e, score, 'complexity', out);
        this.lastKeyframeMotion = false;
        this.confirming = false;
      }
      this.pending = [];
      this.lastKeyframeUs = t;
    }
    if (c?.motion) {
      const score = c.score / c.threshold;
      const strong = score >= this.options.strongComplexity;
      if (this.confirming && !strong && !this.lastKeyframeMotion) this.pending.push([t, t + this.frameUs, score]);
      else this.events.add(t, t + this.frameUs, score, 'complexity', out);
    }
    this.events.advance(t, out);
    return this.withRolls(out);
  }

  /** The stream stopped: ends an event in progress. */
  flush(): MotionDetectorEvent[] {
    return this.withRolls(this.events.flush());
  }

  private withRolls(events: MotionEvent[]): MotionDetectorEvent[] {
    return events.map((e) => ({ ...e, preRollUs: this.options.preRollUs, postRollUs: this.options.postRollUs }));
  }
}
