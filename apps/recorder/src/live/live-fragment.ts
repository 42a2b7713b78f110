import { concatBytes } from '@wyze-nvr/bytes';

/** One muxed moof + mdat (one camera frame), shared read-only by the GOP cache and every viewer. */
export interface LiveFragment {
  bytes: Uint8Array;
  video: boolean;
  /** A video sync sample: where a viewer may start. */
  keyframe: boolean;
  /** The frame's wall-clock µs (the pipeline's Clock). */
  timeUs: number;
  /** Order of muxing within the tap (a viewer started from the GOP cache skips what it already has). */
  seq: number;
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

  /** The audio a viewer gets: with audio, all of it but what it already has (seq ≤ `sentSeq`, from the GOP cache). */
  private audioFor(withAudio: boolean, sentSeq: number): readonly LiveFragment[] {
    if (!withAudio) return [];
    return this.audio.length > 0 && this.audio[0].seq <= sentSeq ? this.audio.filter((a) => a.seq > sentSeq) : this.audio;
  }

  /** Frames in it for a viewer with or without audio that has every fragment up to `sentSeq`. */
  frames(withAudio: boolean, sentSeq = -1): number {
    return (this.video && this.video.seq > sentSeq ? 1 : 0) + this.audioFor(withAudio, sentSeq).length;
  }

  /** The bytes for that viewer (joined once for all the viewers with audio, usually without a copy; anew only just after a start). */
  bytes(withAudio: boolean, sentSeq = -1): Uint8Array | undefined {
    const audio = this.audioFor(withAudio, sentSeq);
    const video = this.video && this.video.seq > sentSeq ? this.video : undefined;
    if (audio.length === 0) return video?.bytes;
    const parts = [...audio.map((a) => a.bytes), ...(video ? [video.bytes] : [])];
    if (audio !== this.audio || video !== this.video) return joinParts(parts);
    this.joined ??= joinParts(parts);
    return this.joined;
  }
}

/**
 * The parts as one buffer: a view over them when they lie back to back in one ArrayBuffer (fragments are
 * carved one after another from the fragmenter's slab, so held audio and the next video frame usually do),
 * else a copy.
 */
function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const first = parts[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].buffer !== first.buffer || parts[i].byteOffset !== end) return concatBytes(...parts);
    end += parts[i].length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}
