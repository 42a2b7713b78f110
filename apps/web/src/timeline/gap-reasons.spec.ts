/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gapLook, legendReasons } from './gap-reasons';

describe('gap reasons', () => {
  it('names the known reasons in words, each with its own colour', () => {
    assert.equal(gapLook('recorder_down').label, 'recorder down');
    assert.equal(gapLook('disk_full').label, 'disk full');
    assert.equal(gapLook('offline').label, 'camera offline');
    const colours = ['offline', 'network_loss', 'disk_full', 'recorder_down', 'stalled'].map((r) => gapLook(r).colour);
    assert.equal(new Set(colours).size, colours.length);
  });
  it('shows an unknown reason by its own name', () => {
    assert.equal(gapLook('power_cut').label, 'power cut');
  });
  it('lists the legend in a fixed order, unknown reasons last', () => {
    assert.deepEqual(legendReasons(['zzz', 'stalled', 'offline', 'stalled']), ['offline', 'stalled', 'zzz']);
  });
});
