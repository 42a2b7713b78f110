// Test-only: a CameraSession stand-in that delivers exactly the frames a test hands it, and camera-shaped
// frames built from the committed fixtures.
import type { CameraSession, Frame } from '@wyze-nvr/tutk';
import type { SegmentFile, SegmentFileSystem } from '../segment/segment-file';
import { fixtureMedia } from './fixture-media';

/** H.264 access units of the fixture, keyframe first, as the session would deliver them at `timeUs`. */
export function fixtureVideo(): { data: Uint8Array; keyframe: boolean }[] {
  const aus = fixtureMedia({ video: 'h264', audio: 'none' }).frames;
  const first = aus.findIndex((f) => f.keyframe);
  return aus.slice(first).map((f) => ({ data: f.data, keyframe: f.keyframe }));
}

/** `afterLoss`: the keyframe that resumes video after a network loss (Frame.afterLoss). */
export function videoFrame(data: Uint8Array, timeUs: number, afterLoss = false): Frame {
  const f = {
    afterLoss,
    kind: 'video',
    channel: 0x05,
    codec: 0x4e,
    keyframe: false,
    frameNo: 0,
    packetFrameNo: 0,
    data,
    info: { timestampSec: Math.floor(timeUs / 1e6), timestampUs: timeUs % 1e6, flags: 0 },
  };
  return f as unknown as Frame;
}

/**
 * Frames go in with `deliver`; `frames()` yields them and waits when there are none, as a live session
 * whose camera went quiet does. `close()` (the supervisor's stall watchdog, or stop) and `end()` (the
 * camera lost) finish the iteration.
 */
export class FakeCameraSession {
  readonly flavourName = 'fake';
  readonly receiveBuffer = undefined;
  readonly stats = {
    assembler: { framesDropped: { incomplete: 0, expired: 0 }, packetsDropped: {}, loss: { framesMissing: 0, framesWithheld: 0, resumes: 0 } },
    retransmission: { format: undefined, requested: 0, recovered: 0, runsReported: 0 },
    framesDroppedSlowConsumer: 0,
    drops: {},
  };
  closed = false;
  private readonly queue: Frame[] = [];
  private wake: (() => void) | undefined;
  private ended: Error | undefined;

  /** A camera that answers no K-command (clock sync and controls see "no answer"). */
  async command(): Promise<undefined> {
    return undefined;
  }

  deliver(f: Frame): void {
    this.queue.push(f);
    this.poke();
  }

  close(): void {
    this.closed = true;
    this.poke();
  }

  /** The session fails as a lost camera does: `frames()` throws. */
  end(error = new Error('camera lost')): void {
    this.ended = error;
    this.poke();
  }

  async *frames(): AsyncGenerator<Frame> {
    for (;;) {
      const f = this.queue.shift();
      if (f) {
        yield f;
        continue;
      }
      if (this.closed) return;
      if (this.ended) throw this.ended;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  asSession(): CameraSession {
    return this as unknown as CameraSession;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/** Segment files kept in memory: what the segmenter wrote, by path. */
export class MemorySegmentFiles implements SegmentFileSystem {
  readonly files = new Map<string, number>();

  async create(path: string): Promise<SegmentFile> {
    this.files.set(path, 0);
    return {
      write: async (_chunks, byteLength) => void this.files.set(path, (this.files.get(path) ?? 0) + byteLength),
      close: async () => undefined,
      abandon: async () => undefined,
    };
  }
}
