import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyframeChangeScorer, type LumaPicture } from './keyframe-change';

const W = 160;
const H = 90;

/** A textured scene (smooth gradients plus detail), with per-picture noise, a brightness transform and optional boxes. */
function picture(seed: number, o: { noise?: number; tone?: (v: number) => number; boxes?: { x: number; y: number; w: number; h: number; v: number }[] } = {}): LumaPicture {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const luma = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = 20 + 1.3 * x + 40 * Math.sin(y / 7) * Math.cos(x / 11) + ((x * 7 + y * 13) % 17);
      for (const b of o.boxes ?? []) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) v = b.v + ((x + y) % 2) * 30;
      v = (o.tone ?? ((u) => u))(v) + (rnd() - 0.5) * 2 * (o.noise ?? 2);
      luma[y * W + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { width: W, height: H, luma };
}

function scores(pictures: LumaPicture[]): (boolean | null)[] {
  const s = new KeyframeChangeScorer();
  return pictures.map((p) => s.push(p)?.motion ?? null);
}

describe('KeyframeChangeScorer', () => {
  test('noise alone is no motion; the first pictures only teach', () => {
    const m = scores(Array.from({ length: 10 }, (_, i) => picture(i + 1)));
    assert.deepEqual(m.slice(0, 3), [null, null, null]);
    assert.ok(m.slice(3).every((v) => v === false));
  });

  test('a small object appearing (5×10 px of 160×90) is motion', () => {
    const pics = Array.from({ length: 8 }, (_, i) => picture(i + 1, { boxes: i >= 6 ? [{ x: 60, y: 40, w: 5, h: 10, v: 230 }] : [] }));
    assert.deepEqual(scores(pics).slice(3), [false, false, false, true, false]);
  });

  test('an object moving is motion at every comparison', () => {
    const pics = Array.from({ length: 9 }, (_, i) => picture(i + 1, { boxes: i >= 5 ? [{ x: 20 + (i - 5) * 25, y: 30, w: 15, h: 30, v: 10 }] : [] }));
    assert.deepEqual(scores(pics).slice(5), [true, true, true, true]);
  });

  test('a lighting change, non-linear and clipping, is not motion', () => {
    // Gain, offset and gamma change by a lot between keyframes; dark areas clip at 0.
    const tones = [1, 0.9, 0.8, 0.7, 0.6, 0.75, 0.95, 1.1].map((g) => (v: number) => 255 * (Math.max(0, v - 30 * (1 - g)) / 255) ** (1 / g) * g);
    const m = scores(tones.map((tone, i) => picture(i + 1, { tone })));
    assert.ok(m.slice(3).every((v) => v === false), JSON.stringify(m));
  });

  test('a change in one cell only (a blinking light) is not motion', () => {
    const pics = Array.from({ length: 8 }, (_, i) => picture(i + 1, { boxes: i % 2 ? [{ x: 80, y: 44, w: 3, h: 3, v: 250 }] : [] }));
    assert.ok(scores(pics).slice(3).every((v) => v === false));
  });

  test('a picture of another size starts over', () => {
    const s = new KeyframeChangeScorer();
    for (let i = 0; i < 5; i++) s.push(picture(i + 1));
    assert.equal(s.push({ width: 80, height: 45, luma: new Uint8Array(80 * 45) }), null);
  });
});
