import { activityLevel, minuteOf, packActivity, type GopActivity } from '@wyze-nvr/db';

/** One camera-minute of motion activity as the recorder writes it: the whole minute so far, packed. */
export interface ActivityRecord {
  cameraId: number;
  /** Start of the UTC minute, µs. */
  minuteUs: number;
  /** packActivity of the minute's GOPs (see libs/db motion-activity.ts). */
  entries: Uint8Array;
  /** The highest level among them. */
  maxLevel: number;
}

/** A minute's snapshot is written again once its newest GOP is this much newer than the last written one. */
export const ACTIVITY_WRITE_EVERY_US = 10_000_000;

/** A closed GOP; level null until a score comes for it. */
interface Gop {
  startUs: number;
  level: number | null;
}

interface Minute {
  minuteUs: number;
  gops: Gop[];
  /** Changed since its last snapshot was handed to `write`. */
  dirty: boolean;
  /** Start of the newest GOP in the last snapshot written. */
  writtenUpToUs: number;
}

/**
 * The motion level of each GOP (keyframe to next keyframe) of one camera, batched per UTC minute.
 * A GOP's level is the highest score the detector gave it (activityLevel: the threshold is 50): the
 * complexity score of each of its frames, and the keyframe comparison that spans it (from its keyframe
 * to the next), which comes a GOP or two later from the decoder (`keyframeScore`). A GOP never scored
 * (detector warming up, every frame unreadable, no pictures) is left out: "unknown", not "still".
 * Frames before the first keyframe belong to no GOP.
 *
 * Writes are whole-minute snapshots: when a minute is over, every ACTIVITY_WRITE_EVERY_US of GOPs
 * meanwhile, and when a late keyframe score changes the minute before; so the current minute's row trails
 * by at most that much. The index queue keeps the newest snapshot per minute through a database outage.
 */
export class GopActivityRecorder {
  private gopStartUs: number | null = null;
  private gopMax: number | null = null;
  /** The current minute and the one before it (late keyframe scores may still land there). */
  private readonly minutes: Minute[] = [];

  constructor(
    private readonly cameraId: number,
    private readonly write: (r: ActivityRecord) => void,
  ) {}

  /**
   * One video frame in order: its time (µs), whether it starts a GOP, and the detector's score for it in
   * multiples of the threshold (null: not scored).
   */
  frame(timeUs: number, keyframe: boolean, score: number | null): void {
    if (keyframe) {
      this.closeGop();
      this.gopStartUs = timeUs;
    }
    if (this.gopStartUs !== null && score !== null && !Number.isNaN(score)) this.gopMax = this.gopMax === null ? score : Math.max(this.gopMax, score);
  }

  /** A keyframe comparison between the keyframes at `fromUs` and `toUs` (in multiples of its threshold) raises the GOPs starting in [fromUs, toUs). */
  keyframeScore(fromUs: number, toUs: number, score: number): void {
    const level = activityLevel(score);
    for (const m of this.minutes) {
      for (const g of m.gops) {
        if (g.startUs < fromUs || g.startUs >= toUs || (g.level !== null && g.level >= level)) continue;
        g.level = level;
        m.dirty = true;
      }
    }
    // The minute before the current one is complete: its change goes out now.
    const previous = this.minutes.length === 2 ? this.minutes[0] : undefined;
    if (previous?.dirty) this.writeMinute(previous);
  }

  /** The session ended: its GOP in progress closes. Scores for it may still come (pictures in flight). */
  endSession(): void {
    this.closeGop();
    this.gopStartUs = null;
  }

  /** Writes every minute changed since its last snapshot (session end, after its last pictures). */
  writeChanged(): void {
    for (const m of this.minutes) if (m.dirty) this.writeMinute(m);
  }

  private closeGop(): void {
    const startUs = this.gopStartUs;
    const max = this.gopMax;
    this.gopMax = null;
    if (startUs === null) return;
    const minuteUs = minuteOf(startUs);
    let current = this.minutes[this.minutes.length - 1];
    if (current?.minuteUs !== minuteUs) {
      if (current?.dirty) this.writeMinute(current);
      const gone = this.minutes.length === 2 ? this.minutes.shift() : undefined;
      if (gone?.dirty) this.writeMinute(gone);
      current = { minuteUs, gops: [], dirty: false, writtenUpToUs: -Infinity };
      this.minutes.push(current);
    }
    current.gops.push({ startUs, level: max === null ? null : activityLevel(max) });
    if (max !== null) current.dirty = true;
    if (current.dirty && startUs - current.writtenUpToUs >= ACTIVITY_WRITE_EVERY_US) this.writeMinute(current);
  }

  private writeMinute(m: Minute): void {
    m.dirty = false;
    const scored = m.gops.filter((g): g is GopActivity => g.level !== null);
    if (scored.length === 0) return;
    m.writtenUpToUs = m.gops[m.gops.length - 1].startUs;
    this.write({ cameraId: this.cameraId, minuteUs: m.minuteUs, entries: packActivity(m.minuteUs, scored), maxLevel: scored.reduce((a, g) => Math.max(a, g.level), 0) });
  }
}
