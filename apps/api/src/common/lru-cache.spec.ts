import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru-cache';

const bytes = (n: number) => Buffer.alloc(n);

describe('LruCache', () => {
  it('evicts the least recently used values when the size budget is exceeded', () => {
    const c = new LruCache<Buffer>(100, 10, (b) => b.length);
    c.set('a', bytes(40));
    c.set('b', bytes(40));
    assert.ok(c.get('a'), 'a is now the most recently used');
    c.set('c', bytes(40));
    assert.equal(c.get('b'), undefined, 'b was the least recently used');
    assert.ok(c.get('a') && c.get('c'));
    assert.equal(c.bytes, 80);
  });

  it('keeps at most maxEntries values', () => {
    const c = new LruCache<Buffer>(1_000, 2, (b) => b.length);
    for (const k of ['a', 'b', 'c']) c.set(k, bytes(1));
    assert.deepEqual([c.get('a'), c.size], [undefined, 2]);
  });

  it('does not keep a value larger than the budget, and replacing a key counts its new size only', () => {
    const c = new LruCache<Buffer>(100, 10, (b) => b.length);
    c.set('big', bytes(101));
    assert.equal(c.get('big'), undefined);
    c.set('a', bytes(60));
    c.set('a', bytes(30));
    assert.equal(c.bytes, 30);
    c.set('b', bytes(70));
    assert.ok(c.get('a') && c.get('b'), 'both fit after the replacement');
  });
});
