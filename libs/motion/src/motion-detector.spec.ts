import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MotionDetector, type MotionDetectorEvent, type MotionDetectorOptions } from './motion-detector';
import type { LumaPicture } from './keyframe-change';
import { syntheticStream, type SyntheticFrame } from '../test/h264-writer';

const S = 1_000_000;
type End = Extract<MotionDetectorEvent, { type: 'end' }>;

/** Still ~2 KB P-slices at QP 30, 8 KB ones during the bursts (seconds). */
const bursts = (ranges: [number, number][]) => (t: number) => (ranges.some(([a, b]) => t >= a && t < b) ? 8000 : 2000);

function runDetector(frames: SyntheticFrame[], options: Partial<MotionDetectorOptions> = {}, picture?: (t: number) => LumaPicture | null) {
  const d = new MotionDetector(options);
  const events: MotionDetectorEvent[] = [];
  for (const f of frames) {
    events.push(...d.push(f));
    if (picture && f.keyframe) events.push(...d.pushPicture(f.timeUs, picture(f.timeUs / S)));
  }
  events.push(...d.flush());
  return { events, ends: events.filter((e): e is End => e.type === 'end'), detector: d };
}

/** 80×45 pictures: noise on a gradient, with a striped block at a position that changes with `where(t)` (null: none). */
function pictures(where: (t: number) => number | null) {
  return (t: number): LumaPicture => {
    const luma = new Uint8Array(80 * 45);
    let s = Math.round(t * 1000) + 1;
    for (let i = 0; i < luma.length; i++) luma[i] = 40 + 2 * (i % 80) + (((s = (s * 1103515245 + 12345) >>> 0) >>> 29) - 4);
    const x = where(t);
    if (x !== null) for (let y = 10; y < 30; y++) for (let k = x; k < Math.min(80, x + 10); k++) luma[y * 80 + k] = y % 4 < 2 ? 60 : 180;
    return { width: 80, height: 45, luma };
  };
}

describe('MotionDetector on slice headers', () => {
  test('a 4× complexity step is one event over the step, with the rolls', () => {
    const { events, ends, detector } = runDetector(syntheticStream({ seconds: 40, bytes: bursts([[15, 22]]) }), { preRollUs: 3 * S, postRollUs: 7 * S });
    assert.deepEqual(
      events.map((e) => e.type),
      ['start', 'end'],
    );
    assert.ok(ends[0].startUs >= 15 * S && ends[0].startUs < 16 * S, `start ${ends[0].startUs}`);
    assert.ok(ends[0].endUs >= 21.5 * S && ends[0].endUs < 23 * S, `end ${ends[0].endUs}`);
    assert.ok(ends[0].peakScore > 1);
    assert.deepEqual(ends[0].sources, ['complexity']);
    assert.equal(ends[0].preRollUs, 3 * S);
    assert.equal(ends[0].postRollUs, 7 * S);
    assert.equal(detector.stats.sliceErrors, 0);
    assert.equal(detector.stats.frames, 800);
  });

  test('the same step in QP at constant size (CBR) is an event', () => {
    const { ends } = runDetector(syntheticStream({ seconds: 40, bytes: () => 2000, qp: (t) => (t >= 15 && t < 22 ? 40 : 30) }));
    assert.equal(ends.length, 1);
    assert.ok(ends[0].startUs >= 15 * S && ends[0].startUs < 16 * S);
  });

  test('a slow ramp (×3 over 40 s) is no event', () => {
    const { events } = runDetector(syntheticStream({ seconds: 50, bytes: (t) => 2000 * 3 ** (Math.max(0, t - 5) / 40) }));
    assert.deepEqual(events, []);
  });

  test('bursts 2 s apart merge with a 3 s gap and stay apart with a 1 s gap', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[10, 13], [15, 18]]) });
    assert.equal(runDetector(frames, { mergeGapUs: 3 * S }).ends.length, 1);
    assert.equal(runDetector(frames, { mergeGapUs: 1 * S }).ends.length, 2);
  });

  test('the minimum length drops a short burst and keeps a long one', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[10, 10.6], [25, 30]]) });
    const ends = runDetector(frames, { minEventUs: 2 * S }).ends;
    assert.equal(ends.length, 1);
    assert.ok(ends[0].startUs >= 25 * S);
    assert.equal(runDetector(frames, { minEventUs: 0.3 * S }).ends.length, 2);
  });

  test('sensitivity: a 1.7× step fires at 1 and not at 0.5', () => {
    const frames = syntheticStream({ seconds: 40, bytes: (t) => (t >= 15 && t < 22 ? 3400 : 2000) });
    assert.equal(runDetector(frames, { sensitivity: 0.5 }).ends.length, 0);
    assert.equal(runDetector(frames, { sensitivity: 1 }).ends.length, 1);
  });
});

describe('MotionDetector with keyframe pictures', () => {
  const still = pictures(() => null);

  test('complexity motion that no keyframe comparison confirms is dropped (a lighting change every picture codes)', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 22]]) });
    assert.deepEqual(runDetector(frames, { keyframePictures: true }, still).events, []);
  });

  test('complexity motion confirmed by keyframes is an event with both sources, timed by complexity', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 21]]) });
    const { ends } = runDetector(frames, { keyframePictures: true }, pictures((t) => (t >= 15 && t < 21 ? 5 + 3 * (t - 14) : null)));
    assert.equal(ends.length, 1);
    assert.deepEqual(ends[0].sources, ['complexity', 'keyframes']);
    assert.ok(ends[0].endUs >= 20.5 * S && ends[0].endUs < 22.5 * S, `end ${ends[0].endUs}`);
  });

  test('keyframes alone find motion the slice headers do not show (CBR spending its bits on noise)', () => {
    const frames = syntheticStream({ seconds: 40, bytes: () => 2000 });
    const { ends } = runDetector(frames, { keyframePictures: true }, pictures((t) => (t >= 15 && t < 21 ? 5 + 3 * (t - 14) : null)));
    assert.equal(ends.length, 1);
    assert.deepEqual(ends[0].sources, ['keyframes']);
    // Keyframes every 2 s: the change is known to lie between the keyframes around it.
    assert.equal(ends[0].startUs, 14 * S);
    assert.equal(ends[0].endUs, 22 * S);
  });

  test('pictures may come late (the decoder lags); the outcome is the same', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 21]]) });
    const pic = pictures((t) => (t >= 15 && t < 21 ? 5 + 3 * (t - 14) : null));
    const d = new MotionDetector({ keyframePictures: true });
    const ends: End[] = [];
    const queue: number[] = [];
    const take = (es: MotionDetectorEvent[]) => ends.push(...es.filter((e): e is End => e.type === 'end'));
    for (const f of frames) {
      take(d.push(f));
      if (f.keyframe) queue.push(f.timeUs);
      if (queue.length > 2) {
        const t = queue.shift()!;
        take(d.pushPicture(t, pic(t / S)));
      }
    }
    for (const t of queue) take(d.pushPicture(t, pic(t / S)));
    take(d.flush());
    const direct = runDetector(frames, { keyframePictures: true }, pic).ends;
    assert.deepEqual(ends, direct);
  });

  test('a keyframe that could not be decoded lets complexity decide alone', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 21]]) });
    const { ends } = runDetector(frames, { keyframePictures: true }, (t) => (t >= 14 && t <= 22 ? null : still(t)));
    assert.equal(ends.length, 1);
    assert.deepEqual(ends[0].sources, ['complexity']);
  });

  test('pictures that never come are given up after a few keyframes', () => {
    const frames = syntheticStream({ seconds: 40, bytes: bursts([[15, 21]]) });
    const { ends, detector } = runDetector(frames, { keyframePictures: true, maxAwaitingPictures: 2 });
    assert.equal(ends.length, 1);
    assert.ok(detector.stats.missingPictures >= 15);
  });
});
