/**
 * FRAMEINFO time → wall-clock µs for one camera (ARCHITECTURE "Time", FACTS §10.4).
 *
 * FRAMEINFO carries µs within the second ([8-11]) and, probably, Unix seconds ([12-15]). Two questions are
 * kept apart:
 * - **Stream time**: how far apart two frames of one kind were. Taken from the camera (sec·10⁶ + µs) while
 *   consecutive frames step forward by a believable amount; on a discontinuity (a camera clock jump, the
 *   seconds field being a session constant so the composite falls back at each µs wrap, a u32 wrap) the
 *   step is the wrapped difference of the µs field alone (frames are < 1 s apart, FACTS §10.4), or the
 *   arrival difference when frames really were more than a second apart. Video and audio keep separate
 *   trackers, as go2rtc does, because they interleave and each is only monotonic on its own.
 * - **Wall offset**: what to add to stream time. 0 while camera time is plausible against the host clock
 *   (|camera − arrival| ≤ maxSkew); otherwise the camera's deltas are anchored to arrival time. It is
 *   re-decided when the output drifts more than maxSkew from arrival. A forward correction applies at once; a
 *   backward one is slewed (time runs at half speed until caught up), so output never goes backwards and
 *   sample durations never collapse to zero.
 * Output is strictly increasing per kind, across sessions too (see resetSession).
 *
 * A jump is bridged so that output does not move, whatever its cause. One cause is ours: the recorder sets a
 * camera's clock (K10092, apps/recorder/src/controls/camera-clock-sync.ts) and says so with
 * `cameraTimeSet()`; the jump that follows is then a correction to adopt: the wall offset is decided afresh
 * from the corrected camera time (forward at once, backward slewed, as a resync).
 */

export type ClockKind = 'video' | 'audio';
export type ClockMode = 'camera' | 'anchored';

export interface CameraClockOptions {
  /** Host clock in µs since the Unix epoch (injectable for tests). */
  now?: () => number;
  /** Camera time is trusted while within this distance of arrival time. Default 30 s. */
  maxSkewUs?: number;
  /** A forward step between consecutive frames of one kind accepted without cross-checking arrival. Default 5 s. */
  maxStepUs?: number;
}

export interface CameraClockStats {
  /** Discontinuities in camera time bridged with the µs field or arrival time. */
  jumps: number;
  /** Times the wall offset was re-decided after drifting past maxSkew. */
  resyncs: number;
}

const US_PER_SEC = 1_000_000;
const U32 = 0x1_0000_0000;

class KindTrack {
  has = false;
  lastRaw = 0;
  lastUs = 0;
  lastStream = 0;
  lastArrival = 0;
  hasOut = false;
  lastOut = 0;
}

export const hostClockUs = (): number => Date.now() * 1000;

export class CameraClock {
  private readonly now: () => number;
  private readonly maxSkew: number;
  private readonly maxStep: number;
  private readonly video = new KindTrack();
  private readonly audio = new KindTrack();
  /** stream = raw + streamOffset for the first frame of a kind (carries bridged jumps over to the other kind). */
  private streamOffset = 0;
  private synced = false;
  private target = 0;
  private applied = 0;
  private maxStream = -Infinity;
  private currentMode: ClockMode = 'camera';
  /** The camera's clock was set: the next bridged jump re-decides the wall offset. */
  private correctionPending = false;
  readonly stats: CameraClockStats = { jumps: 0, resyncs: 0 };

  constructor(options: CameraClockOptions = {}) {
    this.now = options.now ?? hostClockUs;
    this.maxSkew = options.maxSkewUs ?? 30 * US_PER_SEC;
    this.maxStep = options.maxStepUs ?? 5 * US_PER_SEC;
  }

  get mode(): ClockMode {
    return this.currentMode;
  }

  /** Latest output of either kind, or undefined before the first frame. */
  get lastTimeUs(): number | undefined {
    if (!this.video.hasOut && !this.audio.hasOut) return undefined;
    return Math.max(this.video.hasOut ? this.video.lastOut : -Infinity, this.audio.hasOut ? this.audio.lastOut : -Infinity);
  }

  /**
   * A new session: the camera's counters may start anywhere, so its stream position and the wall offset
   * are forgotten; the per-kind floors are kept, so time still never goes backwards for this camera.
   */
  resetSession(): void {
    for (const k of [this.video, this.audio]) k.has = false;
    this.streamOffset = 0;
    this.synced = false;
    this.maxStream = -Infinity;
    this.correctionPending = false;
  }

  /**
   * The recorder has just set the camera's clock: from the next discontinuity on (the camera's time jumping
   * to the corrected value), output follows the corrected camera time if it is plausible.
   */
  cameraTimeSet(): void {
    this.correctionPending = true;
  }

  /** Wall-clock µs of a frame from its FRAMEINFO [12-15] seconds and [8-11] µs, arriving at `arrivalUs`. */
  timeOf(kind: ClockKind, sec: number, us: number, arrivalUs: number = this.now()): number {
    const k = kind === 'video' ? this.video : this.audio;
    const raw = sec * US_PER_SEC + us;
    let stream: number;
    let corrected = false;
    if (!k.has) {
      stream = raw + this.streamOffset;
    } else {
      const d = raw - k.lastRaw;
      const da = arrivalUs - k.lastArrival;
      if (d >= 0 && (d <= this.maxStep || Math.abs(d - da) <= this.maxStep)) {
        stream = k.lastStream + d;
      } else {
        // The sub-second field wraps at 10⁶, or at 2³² for a camera that runs a plain µs counter (FACTS §10.4).
        const mod = us >= US_PER_SEC || k.lastUs >= US_PER_SEC ? U32 : US_PER_SEC;
        const du = (((us - k.lastUs) % mod) + mod) % mod;
        stream = k.lastStream + (da >= US_PER_SEC ? da : du);
        this.streamOffset = stream - raw;
        this.stats.jumps++;
        if (this.correctionPending) {
          this.correctionPending = false;
          corrected = true;
        }
      }
    }
    k.has = true;
    k.lastRaw = raw;
    k.lastUs = us;
    k.lastStream = stream;
    k.lastArrival = arrivalUs;

    if (!this.synced) {
      this.decide(stream, arrivalUs);
      this.applied = this.target;
      this.synced = true;
    } else if (corrected || Math.abs(stream + this.target - arrivalUs) > this.maxSkew) {
      // After a correction, camera time is the raw value again: output = stream + (raw − stream).
      this.decide(stream, arrivalUs, corrected ? raw - stream : 0);
      this.stats.resyncs++;
      if (this.target > this.applied) this.applied = this.target;
    }
    const advance = stream > this.maxStream ? (this.maxStream === -Infinity ? 0 : stream - this.maxStream) : 0;
    if (stream > this.maxStream) this.maxStream = stream;
    if (this.applied > this.target) this.applied = Math.max(this.target, this.applied - Math.floor(advance / 2));

    let out = stream + this.applied;
    if (k.hasOut && out <= k.lastOut) out = k.lastOut + 1;
    k.hasOut = true;
    k.lastOut = out;
    return out;
  }

  /** `cameraOffset`: what turns stream time back into camera time (non-zero once a correction is adopted). */
  private decide(stream: number, arrivalUs: number, cameraOffset = 0): void {
    if (Math.abs(stream + cameraOffset - arrivalUs) <= this.maxSkew) {
      this.currentMode = 'camera';
      this.target = cameraOffset;
    } else {
      this.currentMode = 'anchored';
      this.target = arrivalUs - stream;
    }
  }
}
