/**
 * Compares successive decoded keyframes (small luma thumbnails) for a change that is local, not global.
 * The rate control cannot hide a moving object here, whatever it does to sizes and quantizers.
 *
 * - A global gain and offset (cur ≈ g·prev + o, least squares) is removed first: lighting changes and
 *   exposure steps move the whole picture together.
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
  threshold: 3,
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
    // Global gain/offset by least squares.
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sab = 0;
    for (let i = 0; i < n; i++) {
      sa += a[i];
      sb += b[i];
      saa += a[i] * a[i];
      sab += a[i] * b[i];
    }
    const ma = sa / n;
    const mb = sb / n;
    const va = saa / n - ma * ma;
    const gain = va > 1 ? Math.max(0.5, Math.min(2, (sab / n - ma * mb) / va)) : 1;
    const offset = mb - gain * ma;

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
        change[cellRow + Math.floor(x / o.cellSize)] += Math.abs(b[i] - gain * a[i] - offset);
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
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  return s.length ? s[s.length >> 1] : 0;
}
