import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import { FrameBufferPool } from '@wyze-nvr/tutk';
import { KeyframeThumbnailer, type LumaPicture } from '@wyze-nvr/motion';
import { syntheticStream, type SyntheticFrame } from '../../../../libs/motion/test/h264-writer';
import type { EventRecord } from '../index/recorder-store';
import { loadRecorderSettings, type MotionSettings } from '@wyze-nvr/config';
import { CameraMotion, type KeyframeDecoder } from './camera-motion';

const S = 1_000_000;
const T0 = 1_760_000_000 * S;
const H264 = 0x4e;
const logger = createLogger({ name: 'motion-test', level: 'silent' });
const settings = (o: Partial<MotionSettings> = {}): MotionSettings => ({ ...loadRecorderSettings({}).motion, keyframePictures: false, ...o });

/** Still ~2 KB P-slices, 8 KB during the bursts (seconds). */
const bursts = (ranges: [number, number][]) => (t: number) => (ranges.some(([a, b]) => t >= a && t < b) ? 8000 : 2000);

function feed(m: CameraMotion, frames: SyntheticFrame[]): void {
  for (const f of frames) m.push(H264, f.data, T0 + f.timeUs);
}

function motion(o: Partial<MotionSettings> = {}, decoder?: () => KeyframeDecoder) {
  const writes: EventRecord[] = [];
  const m = new CameraMotion({ cameraId: 7, settings: settings(o), write: (e) => writes.push({ ...e }), logger, decoder });
  return { m, writes };
}

/** A decoder that answers each keyframe once two more have come (ffmpeg's lag), or fails every request. */
class FakeDecoder implements KeyframeDecoder {
  private readonly waiting: { resolve: (p: LumaPicture) => void; reject: (e: Error) => void }[] = [];
  decoded = 0;
  closed = false;
  constructor(private readonly fail = false) {}

  decode(): Promise<LumaPicture> {
    if (this.fail) return Promise.reject(new Error('ffmpeg: not found'));
    const p = new Promise<LumaPicture>((resolve, reject) => this.waiting.push({ resolve, reject }));
    while (this.waiting.length > 2) this.answer();
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.waiting.length) this.answer();
  }

  private answer(): void {
    this.decoded++;
    // A still scene: the keyframe comparison sees nothing, so only strong complexity motion counts.
    this.waiting.shift()!.resolve({ width: 16, height: 16, luma: new Uint8Array(256).fill(100) });
  }
}

const settle = () => new Promise((r) => setImmediate(r));

/** As frames come from the network: the event loop turns between them, so decoder answers are handled. */
async function feedLive(m: CameraMotion, frames: SyntheticFrame[]): Promise<void> {
  for (const f of frames) {
    m.push(H264, f.data, T0 + f.timeUs);
    await settle();
  }
}

describe('CameraMotion', () => {
  test('motion writes a row as it starts (end null) and the same key again when it ends, with the configured rolls', () => {
    const { m, writes } = motion({ preRollMs: 3000, postRollMs: 7000 });
    feed(m, syntheticStream({ seconds: 40, bytes: bursts([[15, 22]]) }));
    assert.equal(writes.length, 2, JSON.stringify(writes));
    const [start, end] = writes;
    assert.equal(start.endUs, null);
    assert.equal(start.cameraId, 7);
    assert.ok(start.startUs >= T0 + 15 * S && start.startUs < T0 + 16 * S, `start ${start.startUs - T0}`);
    assert.equal(end.openedStartUs, start.openedStartUs, 'the end updates the row the start wrote');
    assert.ok(end.startUs <= start.startUs);
    assert.ok(end.endUs! >= T0 + 21.5 * S && end.endUs! < T0 + 23 * S, `end ${end.endUs! - T0}`);
    assert.ok(end.peakScore > 1);
    assert.deepEqual([end.preRollUs, end.postRollUs], [3 * S, 7 * S]);
    assert.equal(m.stats.frames, 800);
    assert.deepEqual([m.stats.eventsStarted, m.stats.eventsEnded, m.stats.errors], [1, 1, 0]);
    assert.ok(m.stats.detectorUs > 0);
    assert.equal(m.active, false);
  });

  test('a still stream writes nothing; audio and unknown codecs are not scored', () => {
    const { m, writes } = motion();
    feed(m, syntheticStream({ seconds: 30, bytes: () => 2000 }));
    m.push(0x89, new Uint8Array(160), T0 + 31 * S);
    assert.deepEqual(writes, []);
    assert.equal(m.stats.frames, 600);
  });

  test('the end of a session ends the event in progress; the next session starts afresh', async () => {
    const { m, writes } = motion();
    feed(m, syntheticStream({ seconds: 20, bytes: bursts([[15, 20]]) }));
    assert.equal(m.active, true);
    assert.deepEqual(writes.map((w) => w.endUs === null), [true]);
    await m.endSession();
    assert.equal(m.active, false);
    assert.equal(writes.length, 2);
    assert.equal(writes[1].openedStartUs, writes[0].openedStartUs);
    assert.ok(writes[1].endUs! > writes[1].startUs && writes[1].endUs! <= T0 + 20 * S);
    // A new session later on: a still start does not continue the old event.
    for (const f of syntheticStream({ seconds: 10, bytes: () => 2000 })) m.push(H264, f.data, T0 + 60 * S + f.timeUs);
    await m.idle();
    assert.equal(writes.length, 2);
  });

  test('an exception inside the detector is counted and the next frames are still scored', () => {
    const { m, writes } = motion();
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 22]]) });
    feed(m, frames.slice(0, 100));
    m.push(H264, undefined as unknown as Uint8Array, T0 + 5 * S);
    m.push(H264, new Uint8Array([0, 0, 1, 0x65, 0xff]), T0 + 5.01 * S); // a slice header cut short
    feed(m, frames.slice(100));
    assert.equal(m.stats.errors, 1);
    assert.equal(writes.length, 2, 'the event is still found');
  });

  test('keyframe pictures: decoded asynchronously with lag, every keyframe answered, strong motion still an event', async () => {
    const decoders: FakeDecoder[] = [];
    const { m, writes } = motion({ keyframePictures: true }, () => {
      decoders.push(new FakeDecoder());
      return decoders[decoders.length - 1];
    });
    // 8× the still complexity: strong enough to need no keyframe confirmation (libs/motion README).
    await feedLive(m, syntheticStream({ seconds: 40, bytes: (t) => (t >= 15 && t < 22 ? 20_000 : 2000) }));
    await m.endSession();
    assert.equal(decoders.length, 1, 'one decoder per camera');
    assert.equal(decoders[0].closed, true);
    assert.equal(decoders[0].decoded, 20, 'one picture per keyframe');
    assert.equal(m.stats.picturesSkipped, 0);
    assert.equal(writes.filter((w) => w.endUs !== null).length, 1);
  });

  test('keyframe pictures: a decoder that fails is counted, not retried at every keyframe, and motion falls back to slice headers', async () => {
    let made = 0;
    const { m, writes } = motion({ keyframePictures: true }, () => {
      made++;
      return new FakeDecoder(true);
    });
    await feedLive(m, syntheticStream({ seconds: 40, bytes: (t) => (t >= 15 && t < 22 ? 20_000 : 2000) }));
    await m.endSession();
    assert.equal(made, 1, 'not restarted within its retry delay');
    assert.equal(m.stats.pictureErrors, 1);
    assert.equal(m.stats.picturesSkipped, 19);
    assert.equal(writes.filter((w) => w.endUs !== null).length, 1);
    assert.equal(m.stats.errors, 0);
  });

  test('keyframe pictures with no ffmpeg to run: counted, and motion still found from slice headers', async () => {
    const { m, writes } = motion({ keyframePictures: true }, () => new KeyframeThumbnailer('h264', { ffmpegPath: '/nonexistent/ffmpeg' }));
    await feedLive(m, syntheticStream({ seconds: 40, bytes: (t) => (t >= 15 && t < 22 ? 20_000 : 2000) }));
    await m.endSession();
    assert.equal(m.stats.pictureErrors, 1);
    assert.equal(m.stats.picturesSkipped, 19);
    assert.equal(m.stats.errors, 0);
    assert.equal(writes.filter((w) => w.endUs !== null).length, 1);
  });

  test('a pooled keyframe is held in the frame pool while its picture is being written to the decoder, and only then', async () => {
    const pool = new FrameBufferPool();
    const callbacks: (() => void)[] = [];
    const decoder: KeyframeDecoder = {
      decode: (_k, written) => {
        if (written) callbacks.push(written);
        return new Promise(() => undefined);
      },
      close: async () => undefined,
    };
    const m = new CameraMotion({ cameraId: 7, settings: settings({ keyframePictures: true }), write: () => undefined, logger, decoder: () => decoder, framePool: pool });
    const frames = syntheticStream({ seconds: 3, bytes: () => 2000 });
    const pooled = frames.map((f) => {
      const b = pool.acquire(f.data.length).subarray(0, f.data.length);
      b.set(f.data);
      return { ...f, data: b };
    });
    for (const f of pooled) m.push(H264, f.data, T0 + f.timeUs);
    const keyframes = pooled.filter((f) => f.keyframe);
    assert.ok(keyframes.length >= 2);
    assert.equal(callbacks.length, keyframes.length);
    for (const f of pooled) assert.equal(pool.holders(f.data), f.keyframe ? 2 : 1, 'keyframes held once more; other frames untouched');
    for (const done of callbacks) done();
    for (const f of keyframes) assert.equal(pool.holders(f.data), 1, "back to the recorder's one hold");
  });
});
