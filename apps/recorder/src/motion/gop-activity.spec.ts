import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unpackActivity, type GopActivity } from '@wyze-nvr/db';
import { createLogger } from '@wyze-nvr/log';
import { loadRecorderSettings } from '@wyze-nvr/config';
import { syntheticStream } from '../../../../libs/motion/test/h264-writer';
import { CameraMotion } from './camera-motion';
import { ACTIVITY_WRITE_EVERY_US, GopActivityRecorder, type ActivityRecord } from './gop-activity';

const S = 1_000_000;
const M = 1_760_000_040 * S; // a minute boundary

function recorder() {
  const writes: ActivityRecord[] = [];
  const r = new GopActivityRecorder(3, (a) => writes.push(a));
  /** The newest snapshot of each minute, unpacked. */
  const stored = (): Map<number, GopActivity[]> => new Map(writes.map((w) => [w.minuteUs, unpackActivity(w.minuteUs, w.entries)]));
  /** The session ends and its last pictures are in. */
  const end = () => {
    r.endSession();
    r.writeChanged();
  };
  return { r, writes, stored, end };
}

describe('GopActivityRecorder', () => {
  test('a GOP’s level is the highest score of its frames, threshold = 50; unscored frames do not count', () => {
    const { r, stored, end } = recorder();
    r.frame(M, true, null); // keyframe: never scored
    r.frame(M + 0.5 * S, false, 0.2);
    r.frame(M + 1 * S, false, 1.3);
    r.frame(M + 1.5 * S, false, 0.4);
    r.frame(M + 2 * S, true, null);
    r.frame(M + 2.5 * S, false, -0.3); // below the baseline: 0
    end();
    assert.deepEqual(stored().get(M), [
      { startUs: M, level: 65 },
      { startUs: M + 2 * S, level: 0 },
    ]);
  });

  test('a GOP with no scored frame is not stored; frames before the first keyframe belong to no GOP', () => {
    const { r, stored, end } = recorder();
    r.frame(M, false, 3); // before any keyframe
    r.frame(M + 1 * S, true, null);
    r.frame(M + 1.5 * S, false, null); // warming up
    r.frame(M + 2 * S, true, null);
    r.frame(M + 2.5 * S, false, 1);
    end();
    assert.deepEqual(stored().get(M), [{ startUs: M + 2 * S, level: 50 }]);
  });

  test('GOPs are batched per UTC minute by their start; a minute is written when it is over', () => {
    const { r, writes, stored, end } = recorder();
    for (let t = 0; t < 130; t += 2) {
      r.frame(M + t * S, true, null);
      r.frame(M + (t + 1) * S, false, t < 60 ? 0.5 : 1.5);
    }
    end();
    const minutes = stored();
    assert.deepEqual([...minutes.keys()], [M, M + 60 * S, M + 120 * S]);
    assert.equal(minutes.get(M)!.length, 30);
    assert.ok(minutes.get(M)!.every((g) => g.level === 25));
    assert.equal(minutes.get(M + 60 * S)!.length, 30);
    assert.ok(minutes.get(M + 60 * S)!.every((g) => g.level === 75));
    assert.equal(minutes.get(M + 120 * S)!.length, 5);
    // The last snapshot of each minute holds all of it, and snapshots within a minute only grow.
    const sizes = writes.filter((w) => w.minuteUs === M).map((w) => w.entries.length);
    assert.deepEqual([...sizes].sort((a, b) => a - b), sizes);
  });

  test('the current minute is written every ACTIVITY_WRITE_EVERY_US of GOPs, not at every GOP', () => {
    const { r, writes, end } = recorder();
    for (let t = 0; t < 40; t++) {
      r.frame(M + t * S, true, null);
      r.frame(M + (t + 0.5) * S, false, 1);
    }
    const perMinute = 40 / (ACTIVITY_WRITE_EVERY_US / S);
    assert.ok(writes.length >= perMinute - 1 && writes.length <= perMinute + 1, `${writes.length} writes`);
    const before = writes.length;
    end();
    end(); // nothing new: no second write
    assert.equal(writes.length, before + 1);
    assert.equal(writes.at(-1)!.entries.length, 40 * 3);
  });
});

describe('GopActivityRecorder with keyframe comparisons (they come a GOP or two late)', () => {
  test('a comparison raises the GOPs starting in [from, to), never lowers one, and stores a GOP complexity left unscored', () => {
    const { r, stored, end } = recorder();
    r.frame(M, true, null);
    r.frame(M + 1 * S, false, null); // complexity warming up: GOP 0 unscored so far
    r.frame(M + 2 * S, true, null);
    r.frame(M + 3 * S, false, 1.6); // GOP 1: 80
    r.frame(M + 4 * S, true, null);
    r.frame(M + 5 * S, false, 0.2); // GOP 2: 10
    r.frame(M + 6 * S, true, null);
    r.keyframeScore(M, M + 2 * S, 0.9); // GOP 0 → 45
    r.keyframeScore(M + 2 * S, M + 4 * S, 0.5); // GOP 1 stays 80
    r.keyframeScore(M + 4 * S, M + 6 * S, 1.2); // GOP 2 → 60
    end();
    assert.deepEqual(stored().get(M), [
      { startUs: M, level: 45 },
      { startUs: M + 2 * S, level: 80 },
      { startUs: M + 4 * S, level: 60 },
    ]);
  });

  test('a late comparison for the minute before is written at once; older minutes are no longer held', () => {
    const { r, writes, stored } = recorder();
    for (let t = 50; t < 64; t += 2) {
      r.frame(M + t * S, true, null);
      r.frame(M + (t + 1) * S, false, 0.2);
    }
    const before = writes.length;
    r.keyframeScore(M + 58 * S, M + 60 * S, 2); // the last GOP of the first minute
    assert.equal(writes.length, before + 1);
    assert.equal(writes.at(-1)!.minuteUs, M);
    assert.equal(writes.at(-1)!.maxLevel, 100);
    assert.deepEqual(stored().get(M)!.at(-1), { startUs: M + 58 * S, level: 100 });
    // Two minutes on, the first minute is gone from memory: a score for it changes nothing.
    for (let t = 64; t < 182; t += 2) r.frame(M + t * S, true, null);
    const n = writes.length;
    r.keyframeScore(M + 50 * S, M + 52 * S, 2);
    assert.equal(writes.length, n);
  });
});

describe('CameraMotion records activity per GOP', () => {
  test('levels are high during scripted motion and low outside it (synthetic H.264, 2 s GOPs)', () => {
    const writes: ActivityRecord[] = [];
    const settings = { ...loadRecorderSettings({}).motion, keyframePictures: false };
    const m = new CameraMotion({ cameraId: 5, settings, write: () => undefined, writeActivity: (a) => writes.push(a), logger: createLogger({ level: 'silent' }) });
    const frames = syntheticStream({ seconds: 60, bytes: (t) => (t >= 30 && t < 40 ? 8000 : 2000) });
    for (const f of frames) m.push(0x4e, f.data, M + f.timeUs);
    void m.endSession();
    const gops = unpackActivity(M, writes.filter((w) => w.minuteUs === M).at(-1)!.entries);
    const inside = gops.filter((g) => g.startUs >= M + 30 * S && g.startUs < M + 38 * S);
    const outside = gops.filter((g) => g.startUs < M + 26 * S || g.startUs >= M + 50 * S);
    assert.ok(inside.length >= 3 && outside.length >= 8, `${inside.length} inside, ${outside.length} outside`);
    assert.ok(inside.every((g) => g.level > 50), `inside: ${inside.map((g) => g.level)}`);
    assert.ok(outside.every((g) => g.level < 50), `outside: ${outside.map((g) => g.level)}`);
    // The detector warms up for a few seconds: the first GOP has no score and is not stored.
    assert.ok(gops[0].startUs > M);
  });
});
