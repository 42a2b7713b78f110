import { splitAnnexB } from '@wyze-nvr/media';
import { ComplexityScorer, DEFAULT_COMPLEXITY_SCORE_OPTIONS, type ComplexityScoreOptions } from './complexity-score';
import { FrameComplexityReader, type MotionCodec } from './frame-complexity';
import { DEFAULT_KEYFRAME_CHANGE_OPTIONS, KeyframeChangeScorer, type KeyframeChangeOptions, type LumaPicture } from './keyframe-change';
import { MotionEventAssembler, type MotionEvent, type MotionSource } from './event-assembler';

/** One coded video frame of a camera, as the recorder has it. */
export interface MotionFrame {
  /** Presentation time, µs. */
  timeUs: number;
  keyframe: boolean;
  /** One access unit, Annex B. */
  data: Uint8Array;
  codec: MotionCodec;
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
   * The caller decodes keyframes and passes them to pushPicture (see KeyframeThumbnailer). Then complexity
   * motion counts only once a keyframe comparison around it confirms it (or it is strong, below).
   */
  keyframePictures: boolean;
  /** Complexity motion this many times its threshold needs no confirmation. */
  strongComplexity: number;
  /** Keyframes still waiting for their picture beyond this many are given up (decided as if undecodable). */
  maxAwaitingPictures: number;
  complexity: ComplexityScoreOptions;
  keyframes: KeyframeChangeOptions;
}

export const DEFAULT_MOTION_DETECTOR_OPTIONS: MotionDetectorOptions = {
  sensitivity: 0.5,
  minEventUs: 1_000_000,
  mergeGapUs: 4_000_000,
  preRollUs: 5_000_000,
  postRollUs: 5_000_000,
  keyframePictures: false,
  strongComplexity: 3,
  maxAwaitingPictures: 4,
  complexity: DEFAULT_COMPLEXITY_SCORE_OPTIONS,
  keyframes: DEFAULT_KEYFRAME_CHANGE_OPTIONS,
};

/** Events carry the configured rolls; the clip is [startUs − preRollUs, endUs + postRollUs) snapped to keyframes. */
export type MotionDetectorEvent = MotionEvent & { preRollUs: number; postRollUs: number };

export interface MotionDetectorStats {
  frames: number;
  /** Frames without a complexity: no parameter sets yet, or unreadable slice headers. */
  unscored: number;
  sliceErrors: number;
  keyframePictures: number;
  /** Keyframes whose picture never came (decode failure, or given up). */
  missingPictures: number;
}

/** The change between the decoded keyframes at fromUs and toUs, in multiples of its threshold. */
export interface KeyframeScore {
  fromUs: number;
  toUs: number;
  score: number;
}

/** Complexity motion waiting for its keyframe comparison. */
interface PendingMotion {
  startUs: number;
  endUs: number;
  score: number;
  strong: boolean;
}

/**
 * Motion detection for one camera: feed every frame in order (push), get event starts and ends.
 * Two scores, in multiples of their own threshold (an event's peak of 2 is twice what it took to fire):
 * - complexity: slice bits × 2^(QP/6) of inter pictures against the camera's still baseline, every frame,
 *   from the slice headers alone;
 * - keyframes (optional): local change between successive decoded keyframes, once per GOP.
 * Complexity carries the timing. Keyframe pictures catch what rate control hides from it (a constant-
 * bitrate encoder spending its budget on sensor noise) and veto what only looks like motion to it (a
 * lighting change that every picture has to code). With keyframe pictures on, decisions wait for the
 * picture of the keyframe that closes a GOP, so events are reported a GOP or so late (plus the decoder's
 * lag); the pre-roll covers that. An 'end' event carries the final interval, whose start can be earlier
 * than its 'start' event said.
 */
export class MotionDetector {
  readonly options: MotionDetectorOptions;
  private reader: FrameComplexityReader | null = null;
  private readonly complexity: ComplexityScorer;
  private readonly keyframes: KeyframeChangeScorer;
  private readonly events: MotionEventAssembler;
  private lastTimeUs: number | null = null;
  private frameUs = 50_000;
  /** Keyframes pushed whose picture has not come yet, oldest first. */
  private readonly awaiting: number[] = [];
  private pending: PendingMotion[] = [];
  /** Time of the last picture given to the keyframe scorer. */
  private lastPictureUs: number | null = null;
  private lastPairMotion = false;
  /**
   * The complexity score of the frame pushed last, in multiples of its threshold (1 = where motion starts),
   * or null when that frame was not scored (intra, warming up, unreadable). Read after each push (the
   * recorder's per-GOP activity level); keyframe comparisons come through takeKeyframeScores.
   */
  lastScore: number | null = null;
  /** Keyframe comparisons since the last takeKeyframeScores. */
  private keyframeScores: KeyframeScore[] = [];
  readonly stats: MotionDetectorStats = { frames: 0, unscored: 0, sliceErrors: 0, keyframePictures: 0, missingPictures: 0 };

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
    this.lastScore = c ? c.score / c.threshold : null;
    const motion = c?.motion ? { startUs: t, endUs: t + this.frameUs, score: c.score / c.threshold } : null;

    if (!this.options.keyframePictures) {
      if (motion) this.events.add(motion.startUs, motion.endUs, motion.score, 'complexity', out);
      this.events.advance(t, out);
      return this.withRolls(out);
    }
    if (motion) this.pending.push({ ...motion, strong: motion.score >= this.options.strongComplexity });
    if (frame.keyframe) {
      this.awaiting.push(t);
      while (this.awaiting.length > this.options.maxAwaitingPictures) this.decide(this.awaiting.shift()!, null, out);
    }
    return this.withRolls(out);
  }

  /**
   * The picture of the keyframe pushed at `keyframeUs`, or null when it could not be decoded. Pictures
   * come in keyframe order; one for a keyframe already given up, or never pushed, is ignored.
   */
  pushPicture(keyframeUs: number, picture: LumaPicture | null): MotionDetectorEvent[] {
    const out: MotionEvent[] = [];
    if (!this.options.keyframePictures || !this.awaiting.includes(keyframeUs)) return [];
    while (this.awaiting[0] !== keyframeUs) this.decide(this.awaiting.shift()!, null, out);
    this.awaiting.shift();
    this.decide(keyframeUs, picture, out);
    return this.withRolls(out);
  }

  /** The stream stopped: unconfirmed motion is dropped and an event in progress ends. */
  flush(): MotionDetectorEvent[] {
    this.pending = [];
    this.awaiting.length = 0;
    return this.withRolls(this.events.flush());
  }

  /** The keyframe comparisons made since the last call (pictures come asynchronously, so read after each pushPicture). */
  takeKeyframeScores(): KeyframeScore[] {
    const out = this.keyframeScores;
    if (out.length) this.keyframeScores = [];
    return out;
  }

  /** Settles everything before keyframe `t` with its picture (or without one: complexity alone decides). */
  private decide(t: number, picture: LumaPicture | null, out: MotionEvent[]): void {
    const found: { startUs: number; endUs: number; score: number; source: MotionSource }[] = [];
    let pairMotion = false;
    let pair: { startUs: number; score: number } | null = null;
    if (picture) {
      this.stats.keyframePictures++;
      const k = this.keyframes.push(picture);
      pairMotion = Boolean(k?.motion && this.lastPictureUs !== null);
      if (k && this.lastPictureUs !== null) this.keyframeScores.push({ fromUs: this.lastPictureUs, toUs: t, score: k.score / k.threshold });
      if (pairMotion) pair = { startUs: this.lastPictureUs!, score: k!.score / k!.threshold };
      this.lastPictureUs = t;
    } else {
      this.stats.missingPictures++;
    }
    // Complexity motion before this keyframe: confirmed by this comparison or the one before it.
    const confirmed = !picture || pairMotion || this.lastPairMotion;
    const keep: PendingMotion[] = [];
    for (const p of this.pending) {
      if (p.startUs >= t) keep.push(p);
      else if (confirmed || p.strong) found.push({ ...p, source: 'complexity' });
    }
    this.pending = keep;
    this.lastPairMotion = pairMotion;
    if (pair) {
      // The comparison only says "between the two keyframes"; complexity motion in that span says when.
      const first = found.reduce((m, f) => (f.startUs >= pair.startUs ? Math.min(m, f.startUs) : m), t);
      found.push({ startUs: first < t ? first : pair.startUs, endUs: t, score: pair.score, source: 'keyframes' });
    }
    found.sort((a, b) => a.startUs - b.startUs);
    for (const f of found) this.events.add(f.startUs, f.endUs, f.score, f.source, out);
    this.events.advance(t, out);
  }

  private withRolls(events: MotionEvent[]): MotionDetectorEvent[] {
    return events.map((e) => ({ ...e, preRollUs: this.options.preRollUs, postRollUs: this.options.postRollUs }));
  }
}
