/**
 * Compares successive decoded keyframes (small luma thumbnails) for a change that is local, not global.
 * The rate control cannot hide a moving object here, whatever it does to sizes and quantizers.
 *
 * - The global tone change (cur ≈ f(prev), f fitted per band of luma values) is removed first:
 *   lighting changes and exposure steps move the whole picture together, if not linearly. The price: an
 *   object whose brightness no background pixel shares has a band to itself, so when it leaves, the fit
 *   maps it onto the background and that last comparison misses it (fitting both ways catches it, but
 *   then clipping lighting changes look local; the slice-header score sees the leaving instead).
 * - The picture is cut into cells; a cell's change is its mean absolute residual. Each cell learns its own
 *   usual change (keyframe coding noise is larger on texture than on flat areas), floored by the
 *   picture's median cell change (sensor noise).
 * - The score is the second-largest cell ratio, so a single cell (a blinking LED, a coding artefact) is
 *   not enough.
 */

/** An 8-bit luma picture, row-major, `width` bytes per row. */
export interface LumaPicture {
  width: number;
  height: number;
  luma: Uint8Array;
}

export interface KeyframeChangeOptions {
  /** Cell edge in thumbnail pixels. */
  cellSize: number;
  /** Motion when the score (cell change ÷ its usual change) exceeds this. */
  threshold: number;
  /** Pairs used only to learn the cells' usual change. */
  warmupPairs: number;
  /** EWMA weight of a new pair in a cell's usual change. */
  learnRate: number;
  /** Smallest usual change, in luma levels (a perfectly clean picture still has rounding). */
  floorLevels: number;
}

export const DEFAULT_KEYFRAME_CHANGE_OPTIONS: KeyframeChangeOptions = {
  cellSize: 4,
  // Measured on the fixtures: still and slow lighting change peak at 3, the smallest object scores 5 to 8.
  threshold: 5,
  warmupPairs: 2,
  learnRate: 0.3,
  floorLevels: 1,
};

export interface KeyframeChange {
  score: number;
  threshold: number;
  motion: boolean;
  /** Cells whose ratio passed the threshold. */
  cells: number;
}

export class KeyframeChangeScorer {
  private prev: LumaPicture | null = null;
  private usual: Float64Array | null = null;
  private pairs = 0;
  private cellChange = new Float64Array(0);
  private readonly bandSum = new Float64Array(TONE_BANDS);
  private readonly bandCount = new Float64Array(TONE_BANDS);
  private readonly curve = new Float64Array(256);

  constructor(private readonly options: KeyframeChangeOptions = DEFAULT_KEYFRAME_CHANGE_OPTIONS) {}

  /** The change since the previous picture, or null for the first one, a size change, or while warming up. */
  push(pic: LumaPicture): KeyframeChange | null {
    const prev = this.prev;
    this.prev = pic;
    if (pic.luma.length < pic.width * pic.height) return null;
    if (!prev || prev.width !== pic.width || prev.height !== pic.height) {
      this.usual = null;
      this.pairs = 0;
      return null;
    }
    const o = this.options;
    const { width, height } = pic;
    const n = width * height;
    const a = prev.luma;
    const b = pic.luma;
    // The tone curve cur ≈ f(prev), from the mean of cur over each band of prev values (interpolated between
    // band centres): removes exposure, gain and lighting changes, including clipping and gamma, which a
    // straight line cannot. A moving object is too small a share of any band to bend it much.
    const f = this.toneCurve(a, b, n);
    const cols = Math.floor(width / o.cellSize);
    const rows = Math.floor(height / o.cellSize);
    const cells = cols * rows;
    if (this.cellChange.length !== cells) this.cellChange = new Float64Array(cells);
    const change = this.cellChange;
    change.fill(0);
    for (let y = 0; y < rows * o.cellSize; y++) {
      const row = y * width;
      const cellRow = Math.floor(y / o.cellSize) * cols;
      for (let x = 0; x < cols * o.cellSize; x++) {
        const i = row + x;
        change[cellRow + Math.floor(x / o.cellSize)] += Math.abs(b[i] - f[a[i]]);
      }
    }
    const perCell = o.cellSize * o.cellSize;
    for (let c = 0; c < cells; c++) change[c] /= perCell;
    const floor = Math.max(o.floorLevels, median(change));

    if (!this.usual || this.usual.length !== cells) {
      this.usual = Float64Array.from(change, (v) => Math.max(v, floor));
      this.pairs = 1;
      return null;
    }
    const usual = this.usual;
    let best = 0;
    let second = 0;
    let over = 0;
    for (let c = 0; c < cells; c++) {
      const r = change[c] / Math.max(usual[c], floor);
      if (r > best) {
        second = best;
        best = r;
      } else if (r > second) second = r;
      if (r > o.threshold) over++;
    }
    this.pairs++;
    const warm = this.pairs > o.warmupPairs;
    const motion = warm && second > o.threshold;
    // Learn every cell that is not itself changed (during motion the rest of the picture still teaches).
    for (let c = 0; c < cells; c++) {
      const r = change[c] / Math.max(usual[c], floor);
      if (!warm || r <= o.threshold) usual[c] += o.learnRate * (Math.max(change[c], floor) - usual[c]);
    }
    return warm ? { score: second, threshold: o.threshold, motion, cells: over } : null;
  }

  /** f[v] for v in 0…255: the expected current value of a pixel that was v in the previous picture. */
  private toneCurve(a: Uint8Array, b: Uint8Array, n: number): Float64Array {
    const sum = this.bandSum;
    const count = this.bandCount;
    sum.fill(0);
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const band = a[i] >>> 3; // 256 / TONE_BANDS = 8 levels per band
      sum[band] += b[i] - a[i];
      count[band]++;
    }
    // Mean shift per band; bands with too few pixels borrow from the nearest populated band.
    const minCount = Math.max(4, n / 2000);
    const shift: (number | null)[] = [];
    for (let k = 0; k < TONE_BANDS; k++) shift.push(count[k] >= minCount ? sum[k] / count[k] : null);
    const known = shift.map((v, k) => (v === null ? -1 : k)).filter((k) => k >= 0);
    const f = this.curve;
    if (known.length === 0) {
      for (let v = 0; v < 256; v++) f[v] = v;
      return f;
    }
    for (let v = 0; v < 256; v++) {
      const x = (v - BAND / 2 + 0.5) / BAND; // position in band-centre units
      let lo = -1;
      let hi = -1;
      for (const k of known) {
        if (k <= x) lo = k;
        if (k >= x && hi < 0) hi = k;
      }
      let d: number;
      if (lo < 0) d = shift[hi]!;
      else if (hi < 0 || hi === lo) d = shift[lo]!;
      else d = shift[lo]! + ((shift[hi]! - shift[lo]!) * (x - lo)) / (hi - lo);
      f[v] = v + d;
    }
    return f;
  }
}

/** Bands of 256 / TONE_BANDS luma levels for the tone-curve fit. */
const TONE_BANDS = 32;
const BAND = 256 / TONE_BANDS;

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  return s.length ? s[s.length >> 1] : 0;
}
