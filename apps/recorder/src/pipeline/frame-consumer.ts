import type { TimedFrame } from '../segment/segmenter';

/**
 * Something the camera pipeline hands every frame to after the segmenter (ARCHITECTURE "Consumers of
 * frames": motion, and the live tap that feeds live viewers, live/live-tap.ts).
 *
 * `push` is called synchronously on the frame path, so it must return at once: a consumer that needs time
 * queues (bounded) or drops and skips to the next keyframe, and it never makes the others wait. A throw is
 * caught and counted by the pipeline, never passed on.
 *
 * The frame object is reused for the next frame. A video frame's `data` comes from the FrameBufferPool
 * and goes back to it once the segmenter has written its fragment: a consumer that keeps the bytes past
 * `push` takes a hold with `FrameBufferPool.retain` and releases it when done (as motion does while
 * ffmpeg decodes a keyframe), or copies them.
 */
export interface FrameConsumer {
  /** Names the consumer in logs and in the error count. */
  readonly name: string;
  push(frame: Readonly<TimedFrame>): void;
}
