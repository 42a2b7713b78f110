/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routeHash, type Route } from './router';

describe('hash routes', () => {
  it('parses every page, with its parameters', () => {
    const cases: [string, Route][] = [
      ['', { page: 'grid' }],
      ['#/', { page: 'grid' }],
      ['#/cameras', { page: 'cameras' }],
      ['#/cameras/3', { page: 'camera', cameraId: 3 }],
      ['#/cameras/3?at=2031-01-15T12:00:00Z', { page: 'camera', cameraId: 3, at: '2031-01-15T12:00:00Z' }],
      ['#/cameras/12/live', { page: 'live', cameraId: 12 }],
      ['#/events', { page: 'events' }],
      ['#/events?camera=2&day=2031-01-15', { page: 'events', camera: 2, day: '2031-01-15' }],
      ['#/exports', { page: 'exports' }],
      ['#/timeline', { page: 'timeline' }],
      ['#/timeline?day=2031-01-15', { page: 'timeline', day: '2031-01-15' }],
      ['#/storage', { page: 'storage' }],
    ];
    for (const [hash, route] of cases) assert.deepEqual(parseRoute(hash), route, hash);
  });

  it('anything else is not-found, never an exception; bad parameters are dropped', () => {
    for (const hash of ['#/nope', '#/cameras/0', '#/cameras/abc', '#/cameras/99999999999', '#/cameras/3/live/x', '#/events/3']) {
      assert.equal(parseRoute(hash).page, 'not-found', hash);
    }
    assert.deepEqual(parseRoute('#/events?camera=x&day=15.1.2031'), { page: 'events' });
    assert.deepEqual(parseRoute('#/timeline?day=yesterday'), { page: 'timeline' });
  });

  it('routeHash is the inverse of parseRoute', () => {
    const routes: Route[] = [
      { page: 'grid' },
      { page: 'live', cameraId: 4 },
      { page: 'camera', cameraId: 4 },
      { page: 'camera', cameraId: 4, at: '2031-01-15T12:00:00.000000Z' },
      { page: 'events', camera: 4, day: '2031-01-15' },
      { page: 'events' },
      { page: 'exports' },
      { page: 'storage' },
      { page: 'cameras' },
      { page: 'timeline', day: '2031-01-15' },
    ];
    for (const r of routes) assert.deepEqual(parseRoute(routeHash(r)), r, routeHash(r));
  });
});
