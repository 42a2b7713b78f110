import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComplexityScorer } from './complexity-score';
import type { FrameComplexity } from './frame-complexity';

const FPS = 20;
const GOP = 40;

/** Scores a 20 fps stream whose inter-picture size and QP follow functions of time (s); returns motion per frame time. */
function motionTimes(seconds: number, bits: (t: number) => number, qp: (t: number) => number = () => 30): number[] {
  const s = new ComplexityScorer();
  let seed = 3;
  const jitter = () => 0.85 + 0.3 * ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: number[] = [];
  for (let i = 0; i < seconds * FPS; i++) {
    const t = i / FPS;
    const intra = i % GOP === 0;
    const b = intra ? 200_000 : bits(t) * jitter();
    const q = qp(t);
    const f: FrameComplexity = { sliceBytes: b / 8, slices: 1, intra, qp: q, complexity: b * 2 ** (q / 6), errors: 0 };
    if (s.push(Math.round(t * 1e6), f)?.motion) out.push(t);
  }
  return out;
}

describe('ComplexityScorer', () => {
  test('a step in size (constant QP) is motion, for its duration', () => {
    const m = motionTimes(60, (t) => (t >= 20 && t < 30 ? 40_000 : 8000));
    assert.ok(m.length > 0);
    assert.ok(m[0] >= 20 && m[0] < 21, `starts at ${m[0]}`);
    assert.ok(m[m.length - 1] >= 29.5 && m[m.length - 1] < 31, `ends at ${m[m.length - 1]}`);
    assert.ok(m.every((t) => t >= 20 && t < 31));
  });

  test('a step in QP at constant size (what CBR does) is motion', () => {
    const m = motionTimes(60, () => 8000, (t) => (t >= 20 && t < 30 ? 40 : 30));
    assert.ok(m.length > 100);
    assert.ok(m.every((t) => t >= 20 && t < 31));
  });

  test('a slow ramp (complexity ×3 over 50 s) is not motion', () => {
    assert.deepEqual(motionTimes(60, (t) => 8000 * 3 ** (Math.max(0, t - 5) / 50)), []);
  });

  test('a slow QP drift that trades size for quantizer (rate control adapting) is not motion', () => {
    // QP 30 → 36 while bits halve: complexity constant.
    assert.deepEqual(motionTimes(60, (t) => 8000 / 2 ** (t / 60), (t) => 30 + t / 10), []);
  });

  test('isolated single-picture spikes are not motion', () => {
    assert.deepEqual(motionTimes(60, (t) => (Math.round(t * FPS) % 37 === 0 ? 40_000 : 8000)), []);
  });

  test('nothing is reported during the warm-up', () => {
    const m = motionTimes(10, (t) => (t < 2 ? 40_000 : 8000));
    assert.deepEqual(m, []);
  });
});
