/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchWindow, REFRESH_MS, WindowCache } from './timeline-cache';
import { HOUR_MS } from './view';

const T0 = Date.UTC(2031, 0, 15, 12);

describe('timeline fetch windows', () => {
  it('covers the view with a margin, aligned so small pans reuse the window', () => {
    const w = fetchWindow({ startMs: T0 + 10 * 60_000, spanMs: HOUR_MS }, 800);
    assert.ok(w.fromMs <= T0 + 10 * 60_000 - HOUR_MS / 2 && w.toMs >= T0 + 70 * 60_000 + HOUR_MS / 2);
    assert.deepEqual(fetchWindow({ startMs: T0 + 20 * 60_000, spanMs: HOUR_MS }, 800), w);
    assert.equal(w.buckets, 3200);
  });
  it('caches by key; a window near now is loaded again after the refresh time, an old one is not', async () => {
    const cache = new WindowCache<number>();
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    const old = { fromMs: T0 - 4 * HOUR_MS, toMs: T0 - 3 * HOUR_MS, buckets: 10 };
    const live = { fromMs: T0 - HOUR_MS, toMs: T0 + HOUR_MS, buckets: 10 };
    assert.equal(await cache.get('old', old, T0, load), 1);
    assert.equal(await cache.get('old', old, T0 + 10 * REFRESH_MS, load), 1);
    assert.equal(await cache.get('live', live, T0, load), 2);
    assert.equal(await cache.get('live', live, T0 + 1000, load), 2);
    assert.equal(await cache.get('live', live, T0 + REFRESH_MS + 1, load), 3);
  });
  it('forgets a failed load', async () => {
    const cache = new WindowCache<number>();
    const w = { fromMs: 0, toMs: 1, buckets: 1 };
    await assert.rejects(cache.get('k', w, T0, () => Promise.reject(new Error('down'))));
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.get('k', w, T0, () => Promise.resolve(7)), 7);
  });
});
