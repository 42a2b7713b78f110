/**
 * What the camera emulator streams: one frame as the camera's encoder would hand it over. The device
 * packetizes it (FACTS §10.2, §14) and writes its FRAMEINFO (FACTS §10.4).
 */
export interface MediaFrame {
  kind: 'video' | 'audio';
  /** FRAMEINFO codec id (frames/codecs.ts `Codec`). */
  codec: number;
  /** Video only: sent on channel 0x05 with FRAMEINFO flags 1; must begin with SPS/VPS (FACTS §10.5). */
  keyframe: boolean;
  data: Uint8Array;
  /** Stream time in µs; successive frames less than 1 s apart and never backwards (FACTS §10.4). */
  timestampUs: number;
  /** Audio only; default 16000 Hz mono. */
  sampleRate?: number;
  channels?: number;
}

/**
 * A stream for one quality ('hd' or 'sd'). Each `frames()` call starts the stream afresh, beginning with a
 * keyframe; the source paces it (yielding a frame when it is due) and stops when `signal` aborts, leaving
 * no timer behind.
 */
export interface MediaSource {
  frames(signal: AbortSignal): AsyncIterable<MediaFrame>;
  /**
   * Whether the frames include audio: the camera says so in K10003 (FACTS §9.3). Undefined when the source
   * cannot tell; the camera then reports audio on.
   */
  readonly hasAudio?: boolean;
}

export interface ArraySourceOptions {
  /** Delay before each frame; 0 yields to the event loop only. */
  intervalMs?: number;
  /** Start again from the first frame after the last one (timestamps keep increasing). */
  loop?: boolean;
}

/** An in-memory source over a fixed list of frames (tests, demos). */
export function arraySource(frames: readonly MediaFrame[], options: ArraySourceOptions = {}): MediaSource {
  const intervalMs = options.intervalMs ?? 0;
  return {
    hasAudio: frames.some((f) => f.kind === 'audio'),
    async *frames(signal: AbortSignal): AsyncGenerator<MediaFrame> {
      if (frames.length === 0) return;
      const span = frames[frames.length - 1].timestampUs - frames[0].timestampUs + 50_000;
      for (let round = 0; ; round++) {
        for (const f of frames) {
          if (!(await abortableDelay(intervalMs, signal))) return;
          yield round === 0 ? f : { ...f, timestampUs: f.timestampUs + round * span };
        }
        if (!options.loop) return;
      }
    },
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is cleared). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
