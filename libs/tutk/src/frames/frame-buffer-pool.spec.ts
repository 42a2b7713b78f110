import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameBufferPool } from './frame-buffer-pool';

describe('FrameBufferPool', () => {
  test('sizes are rounded up to a power of two of at least 1 KiB; beyond 4 MiB buffers are not pooled', () => {
    const pool = new FrameBufferPool();
    for (const [ask, got] of [
      [0, 1024],
      [1, 1024],
      [1024, 1024],
      [1025, 2048],
      [300_000, 512 * 1024],
      [4 * 1024 * 1024, 4 * 1024 * 1024],
    ]) {
      const b = pool.acquire(ask);
      assert.equal(b.length, got, `acquire(${ask})`);
      assert.equal(b.byteOffset, 0);
      assert.equal(b.buffer.byteLength, got);
      assert.equal(pool.holders(b), 1);
    }
    const big = pool.acquire(4 * 1024 * 1024 + 1);
    assert.equal(big.length, 4 * 1024 * 1024 + 1);
    assert.equal(pool.holders(big), 0, 'not tracked');
    pool.release(big);
    assert.equal(pool.stats.stray, 1);
  });

  test('a buffer is reused only after its last holder releases it', () => {
    const pool = new FrameBufferPool();
    const a = pool.acquire(5000);
    assert.ok(pool.retain(a.subarray(10, 20)), 'any view of the buffer counts');
    assert.equal(pool.holders(a), 2);
    pool.release(a);
    const b = pool.acquire(5000);
    assert.notEqual(b.buffer, a.buffer, 'still held once: not handed out again');
    pool.release(a.subarray(0, 1));
    assert.equal(pool.holders(a), 0);
    assert.equal(pool.stats.freeBytes, 8192);
    const c = pool.acquire(6000);
    assert.equal(c.buffer, a.buffer, 'the released buffer comes back');
    assert.equal(pool.holders(c), 1);
    assert.equal(pool.stats.reused, 1);
    assert.equal(pool.stats.freeBytes, 0);
    // A different size class does not take it.
    pool.release(c);
    assert.notEqual(pool.acquire(100).buffer, a.buffer);
  });

  test('a second release of the same buffer is counted and changes nothing (no buffer is handed out twice)', () => {
    const pool = new FrameBufferPool();
    const a = pool.acquire(2000);
    pool.release(a);
    pool.release(a);
    assert.equal(pool.stats.stray, 1);
    assert.equal(pool.stats.freed, 1);
    const x = pool.acquire(2000);
    const y = pool.acquire(2000);
    assert.equal(x.buffer, a.buffer);
    assert.notEqual(y.buffer, a.buffer);
    assert.equal(pool.retain(new Uint8Array(16)), false, 'not from the pool');
  });

  test('free lists stop growing at maxFreeBytes; the rest is left to the GC', () => {
    const pool = new FrameBufferPool({ maxFreeBytes: 3 * 4096 });
    const bufs = Array.from({ length: 5 }, () => pool.acquire(4096));
    for (const b of bufs) pool.release(b);
    assert.equal(pool.stats.freed, 5);
    assert.equal(pool.stats.pooled, 3);
    assert.equal(pool.stats.freeBytes, 3 * 4096);
    const again = Array.from({ length: 5 }, () => pool.acquire(4096));
    assert.equal(new Set(again.map((b) => b.buffer)).size, 5, 'five distinct buffers');
    assert.equal(again.filter((b) => bufs.some((x) => x.buffer === b.buffer)).length, 3);
  });
});
