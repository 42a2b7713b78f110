/** One muxed moof + mdat (one camera frame), shared read-only by the GOP cache and every viewer. */
export interface LiveFragment {
  bytes: Uint8Array;
  video: boolean;
  /** A video sync sample: where a viewer may start. */
  keyframe: boolean;
  /** The frame's wall-clock µs (the pipeline's Clock). */
  timeUs: number;
}

/**
 * The current GOP as fragments, from its keyframe, so a new viewer starts at once (fast start). Bounded in
 * bytes and frames: a GOP that outgrows it is dropped and caching resumes at the next keyframe (a viewer
 * joining meanwhile waits for that keyframe).
 */
export class GopCache {
  private list: LiveFragment[] = [];
  private size = 0;
  private full = false;
  /** GOPs that outgrew the bounds. */
  overflows = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxFrames: number,
  ) {}

  get entries(): readonly LiveFragment[] {
    return this.list;
  }

  get bytes(): number {
    return this.size;
  }

  restart(keyframe: LiveFragment): void {
    this.list = [keyframe];
    this.size = keyframe.bytes.length;
    this.full = false;
  }

  add(f: LiveFragment): void {
    if (this.full || this.list.length === 0) return;
    if (this.size + f.bytes.length > this.maxBytes || this.list.length >= this.maxFrames) {
      this.clear();
      this.full = true;
      this.overflows++;
      return;
    }
    this.list.push(f);
    this.size += f.bytes.length;
  }

  /** Keeps the video (an audio format change makes the audio fragments belong to an old init segment). */
  dropAudio(): void {
    this.list = this.list.filter((f) => f.video);
    this.size = this.list.reduce((n, f) => n + f.bytes.length, 0);
  }

  clear(): void {
    this.list = [];
    this.size = 0;
    this.full = false;
  }
}
