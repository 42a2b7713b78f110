import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CameraEntity, CameraStatusEntity } from '@wyze-nvr/db';
import { cameraStatus } from './cameras.service';

const NOW_US = 1_796_000_000_000_000;
const camera = (enabled: boolean) => ({ id: 1, enabled }) as CameraEntity;
/** A recorder status row written `agoS` seconds ago. */
const row = (state: string, agoS: number) => ({ cameraId: 1, state, lastFrameUs: null, lastError: null, updatedAt: new Date(NOW_US / 1000 - agoS * 1000) }) as unknown as CameraStatusEntity;

describe('cameraStatus', () => {
  it('a disabled camera is disabled whatever the recorder last reported, fresh or stale', () => {
    assert.equal(cameraStatus(camera(false), NOW_US, row('recording', 1), undefined, undefined).state, 'disabled');
    assert.equal(cameraStatus(camera(false), NOW_US, row('disabled', 600), undefined, undefined).state, 'disabled');
  });

  it('an enabled camera shows the recorder fresh, and stale after a minute', () => {
    assert.equal(cameraStatus(camera(true), NOW_US, row('recording', 1), undefined, undefined).state, 'recording');
    assert.equal(cameraStatus(camera(true), NOW_US, row('recording', 61), undefined, undefined).state, 'stale');
  });
});
