import type { FrameComplexity } from './frame-complexity';

/**
 * Scores inter-coded pictures by their complexity (slice bits × 2^(QP/6)) against a slowly adapting
 * baseline of the same camera's still scene. In log2 units: 1 = twice the usual complexity.
 *
 * - Intra pictures, and the first few inter pictures after one (which code the jump from the intra
 *   picture's quality), are left out; the state holds across them.
 * - The score uses the mean complexity of a short window of pictures, not single pictures: rate control
 *   (strict CBR especially) starves some pictures and pays the debt in the next ones, and a lone refresh
 *   spike (e.g. a slow brightness drift crossing a quantizer step) should not count.
 * - The baseline follows the scene only while nothing is moving (with a very slow drift while something
 *   is, so a lasting change such as trees in wind is eventually absorbed), and rises no faster than a
 *   clamp allows, so that a slow lighting change is followed while a moving object is not learnt.
 */
export interface ComplexityScoreOptions {
  /** Inter pictures averaged per score. */
  windowFrames: number;
  /** Inter pictures after an intra picture that are not scored. */
  skipAfterIntra: number;
  /** Time constant of the baseline while still, µs. */
  baselineTauUs: number;
  /** Time constant of the baseline during motion, µs. */
  activeBaselineTauUs: number;
  /** Scores are not produced until the baseline has seen this much, µs. */
  warmupUs: number;
  /** Motion starts above this score (log2 ratio), and above `spreadFactor` × the baseline's mean deviation. */
  onLog2: number;
  spreadFactor: number;
  /** Motion stays on until the score falls below this fraction of the start threshold. */
  offFraction: number;
}

export const DEFAULT_COMPLEXITY_SCORE_OPTIONS: ComplexityScoreOptions = {
  windowFrames: 10,
  skipAfterIntra: 3,
  baselineTauUs: 10_000_000,
  activeBaselineTauUs: 300_000_000,
  warmupUs: 3_000_000,
  onLog2: 1,
  spreadFactor: 4,
  offFraction: 0.5,
};

export interface ComplexityScore {
  /** log2(window complexity / baseline). */
  score: number;
  /** The start threshold in force (log2). */
  threshold: number;
  motion: boolean;
}

export class ComplexityScorer {
  private readonly window: number[] = [];
  private windowSum = 0;
  private sinceIntra = Infinity;
  private baseline: number | null = null;
  private spread = 0;
  private firstUs: number | null = null;
  private lastUs: number | null = null;
  private motion = false;

  constructor(private readonly options: ComplexityScoreOptions = DEFAULT_COMPLEXITY_SCORE_OPTIONS) {}

  /** The score after this picture, or null while warming up, for unscored pictures, or without a QP. */
  push(timeUs: number, frame: FrameComplexity): ComplexityScore | null {
    if (frame.intra) {
      this.sinceIntra = 0;
      return null;
    }
    this.sinceIntra++;
    if (frame.complexity === null || frame.complexity <= 0 || this.sinceIntra <= this.options.skipAfterIntra) return null;
    const o = this.options;
    this.window.push(frame.complexity);
    this.windowSum += frame.complexity;
    if (this.window.length > o.windowFrames) this.windowSum -= this.window.shift()!;
    if (this.window.length < o.windowFrames) return null;
    const x = Math.log2(this.windowSum / this.window.length);
    const dtUs = this.lastUs === null ? 0 : Math.max(0, timeUs - this.lastUs);
    this.lastUs = timeUs;
    this.firstUs ??= timeUs;
    if (this.baseline === null) {
      this.baseline = x;
      return null;
    }
    const threshold = Math.max(o.onLog2, o.spreadFactor * this.spread);
    const score = x - this.baseline;
    const warm = timeUs - this.firstUs >= o.warmupUs;
    if (warm) this.motion = this.motion ? score > threshold * o.offFraction : score > threshold;

    // Baseline: a clamped EWMA, so one excursion moves it at most a fraction of the threshold.
    const tau = this.motion ? o.activeBaselineTauUs : warm ? o.baselineTauUs : o.baselineTauUs / 4;
    const a = Math.min(1, dtUs / tau);
    const step = Math.max(-threshold, Math.min(threshold * o.offFraction, score));
    this.baseline += a * step;
    if (!this.motion) this.spread += a * (Math.min(Math.abs(score), threshold) - this.spread);
    return warm ? { score, threshold, motion: this.motion } : null;
  }
}
