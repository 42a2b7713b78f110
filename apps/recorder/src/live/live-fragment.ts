import { concatBytes } from '@wyze-nvr/bytes';

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

/**
 * What a viewer is offered at once: a video fragment with the audio fragments that arrived since the one
 * before (audio first, in time order), or held audio alone after a while without video. A viewer then costs
 * one socket write per video frame rather than one per frame of either kind (a G.711 camera sends 50 audio
 * frames a second); audio waits at most one video frame interval. Still one moof + mdat per frame.
 */
export class LiveBundle {
  private joined: Uint8Array | undefined;

  constructor(
    readonly video: LiveFragment | undefined,
    readonly audio: readonly LiveFragment[],
  ) {}

  get keyframe(): boolean {
    return !!this.video?.keyframe;
  }

  /** Frames in it for a viewer with or without audio. */
  frames(withAudio: boolean): number {
    return (this.video ? 1 : 0) + (withAudio ? this.audio.length : 0);
  }

  /** The bytes for a viewer with or without audio (joined once, shared by every viewer with audio). */
  bytes(withAudio: boolean): Uint8Array | undefined {
    if (!withAudio || this.audio.length === 0) return this.video?.bytes;
    this.joined ??= concatBytes(...this.audio.map((a) => a.bytes), ...(this.video ? [this.video.bytes] : []));
    return this.joined;
  }
}
