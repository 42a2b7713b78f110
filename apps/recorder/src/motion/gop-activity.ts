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

/**
 * The motion level of each GOP (keyframe to next keyframe) of one camera, batched per UTC minute.
 * A GOP's level is the highest detector score of its frames (activityLevel: the threshold is 50); a GOP
 * with no scored frame (the detector warming up, or every frame unreadable) is left out, so it reads as
 * "unknown", not as "still". Frames before the first keyframe belong to no GOP.
 *
 * Writes are whole-minute snapshots: when a minute is over, and meanwhile every ACTIVITY_WRITE_EVERY_US
 * of GOPs, so the row of the current minute trails by at most that much; each snapshot replaces the
 * previous one through the index queue, which keeps the newest per minute through a database outage.
 */
export class GopActivityRecorder {
  private gopStartUs: number | null = null;
  private gopMax: number | null = null;
  private minuteUs: number | null = null;
  private minute: GopActivity[] = [];
  private writtenUpToUs = -Infinity;

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

  /** The stream stopped (session end): the GOP in progress closes and the minute so far is written. */
  flush(): void {
    this.closeGop();
    this.gopStartUs = null;
    this.writeMinute();
  }

  private closeGop(): void {
    const startUs = this.gopStartUs;
    const max = this.gopMax;
    this.gopMax = null;
    if (startUs === null || max === null) return;
    const minuteUs = minuteOf(startUs);
    if (this.minuteUs !== null && minuteUs !== this.minuteUs) {
      this.writeMinute();
      this.minute = [];
    }
    this.minuteUs = minuteUs;
    this.minute.push({ startUs, level: activityLevel(max) });
    if (startUs - this.writtenUpToUs >= ACTIVITY_WRITE_EVERY_US) this.writeMinute();
  }

  private writeMinute(): void {
    if (this.minuteUs === null || this.minute.length === 0) return;
    const last = this.minute[this.minute.length - 1].startUs;
    if (last <= this.writtenUpToUs) return; // nothing new since the last snapshot
    const maxLevel = this.minute.reduce((m, g) => Math.max(m, g.level), 0);
    this.write({ cameraId: this.cameraId, minuteUs: this.minuteUs, entries: packActivity(this.minuteUs, this.minute), maxLevel });
    this.writtenUpToUs = last;
  }
}
