import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecorderSettings, RecorderSettingsError } from '../recorder-env';

test('motion settings default to on, sensitivity 0.5, 1 s events, 4 s merge gap, 5 s rolls, keyframe pictures', () => {
  assert.deepEqual(loadRecorderSettings({}).motion, {
    enabled: true,
    sensitivity: 0.5,
    minEventMs: 1000,
    mergeGapMs: 4000,
    preRollMs: 5000,
    postRollMs: 5000,
    keyframePictures: true,
  });
});

test('motion settings are read from RECORDER_MOTION_*', () => {
  const m = loadRecorderSettings({
    RECORDER_MOTION: 'off',
    RECORDER_MOTION_SENSITIVITY: '0.8',
    RECORDER_MOTION_MIN_EVENT_MS: '500',
    RECORDER_MOTION_MERGE_GAP_MS: '0',
    RECORDER_MOTION_PRE_ROLL_MS: '10000',
    RECORDER_MOTION_POST_ROLL_MS: '2500',
    RECORDER_MOTION_KEYFRAME_PICTURES: 'false',
  }).motion;
  assert.deepEqual(m, { enabled: false, sensitivity: 0.8, minEventMs: 500, mergeGapMs: 0, preRollMs: 10000, postRollMs: 2500, keyframePictures: false });
  assert.equal(loadRecorderSettings({ RECORDER_MOTION: 'ON', RECORDER_MOTION_SENSITIVITY: '1' }).motion.enabled, true);
});

test('a bad motion value stops startup with the variable named', () => {
  for (const [name, value] of [
    ['RECORDER_MOTION', 'maybe'],
    ['RECORDER_MOTION_SENSITIVITY', '1.5'],
    ['RECORDER_MOTION_SENSITIVITY', '-0.1'],
    ['RECORDER_MOTION_SENSITIVITY', 'high'],
    ['RECORDER_MOTION_MIN_EVENT_MS', '-1'],
    ['RECORDER_MOTION_MERGE_GAP_MS', '1.5'],
    ['RECORDER_MOTION_PRE_ROLL_MS', '600001'],
    ['RECORDER_MOTION_POST_ROLL_MS', 'ten'],
    ['RECORDER_MOTION_KEYFRAME_PICTURES', '2'],
  ]) {
    assert.throws(() => loadRecorderSettings({ [name]: value }), (e: unknown) => e instanceof RecorderSettingsError && e.variable === name, `${name}=${value}`);
  }
});
