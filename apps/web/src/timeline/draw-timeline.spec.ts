/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pixelSpan } from './draw-timeline';

describe('pixelSpan', () => {
  it('puts both edges of a span on whole pixels, so its middle is never blended with a neighbour', () => {
    assert.deepEqual(pixelSpan(10.4, 13.6, 100), [10, 4]);
    assert.deepEqual(pixelSpan(10.6, 13.4, 100), [11, 2]);
  });
  it('draws a span narrower than a pixel one pixel wide', () => {
    assert.deepEqual(pixelSpan(20.2, 20.3, 100), [20, 1]);
  });
  it('clips to the canvas', () => {
    assert.deepEqual(pixelSpan(-30, 5.2, 100), [0, 5]);
    assert.deepEqual(pixelSpan(90.7, 250, 100), [91, 9]);
  });
  it('leaves no seam between spans that touch', () => {
    const [a, aw] = pixelSpan(3.3, 7.5, 100);
    const [b] = pixelSpan(7.5, 12.1, 100);
    assert.equal(a + aw, b);
  });
});
