import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from 1 s to a 60 s cap without jitter', () => {
    const b = new Backoff(1000, 60_000, 0.5, () => 0);
    assert.deepEqual(Array.from({ length: 9 }, () => b.next()), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('jitters each delay down by at most half', () => {
    const b = new Backoff(1000, 60_000, 0.5, () => 1);
    assert.deepEqual([b.next(), b.next(), b.next()], [500, 1000, 2000]);
    const r = new Backoff();
    for (let i = 0; i < 100; i++) {
      const d = r.next();
      const base = Math.min(60_000, 1000 * 2 ** i);
      assert.ok(d >= base / 2 && d <= base, `${d} outside [${base / 2}, ${base}]`);
    }
  });

  it('starts again from the initial delay after reset', () => {
    const b = new Backoff(1000, 60_000, 0, () => 0.3);
    b.next();
    b.next();
    b.next();
    b.reset();
    assert.equal(b.next(), 1000);
  });
});
