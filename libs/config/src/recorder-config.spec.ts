import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config.error';
import { loadRecorderSettings } from './recorder-config';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadRecorderSettings(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`loadRecorderSettings accepted ${JSON.stringify(env)}`);
}

describe('recorder settings', () => {
  test('defaults: internal server on any free port of 127.0.0.1, no advertised URL, 20 viewers with 4 MiB queues, 10 s stall, 30 s clock skew, resend asked for', () => {
    const s = loadRecorderSettings({});
    assert.equal(s.internalPort, 0);
    assert.equal(s.internalHost, '127.0.0.1');
    assert.equal(s.advertiseUrl, undefined);
    assert.deepEqual(s.live, { maxViewers: 20, queueBytes: 4 * 1024 * 1024 });
    assert.equal(s.stallSeconds, 10);
    assert.equal(s.clockMaxSkewSeconds, 30);
    assert.equal(s.cameraClockSyncSeconds, 5);
    assert.equal(s.resend, true);
  });

  test('RECORDER_CAMERA_CLOCK_SYNC_SECONDS: 0 turns clock sync off; up to a day; a bad value is named', () => {
    assert.equal(loadRecorderSettings({ RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '0' }).cameraClockSyncSeconds, 0);
    assert.equal(loadRecorderSettings({ RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '86400' }).cameraClockSyncSeconds, 86_400);
    assert.deepEqual(configError({ RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '-1' }).issues.map((i) => i.variable), ['RECORDER_CAMERA_CLOCK_SYNC_SECONDS']);
  });

  test('RECORDER_RESEND=off forces resend = 0', () => {
    assert.equal(loadRecorderSettings({ RECORDER_RESEND: 'off' }).resend, false);
    assert.equal(loadRecorderSettings({ RECORDER_RESEND: '0' }).resend, false);
    assert.equal(loadRecorderSettings({ RECORDER_RESEND: '1' }).resend, true);
  });

  test('values are read from RECORDER_*; empty counts as unset', () => {
    const s = loadRecorderSettings({ RECORDER_METRICS_PORT: '0', RECORDER_METRICS_HOST: ' 0.0.0.0 ', RECORDER_STALL_SECONDS: '600', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600' });
    assert.deepEqual([s.internalPort, s.internalHost, s.stallSeconds, s.clockMaxSkewSeconds], [0, '0.0.0.0', 600, 3600]);
    assert.equal(loadRecorderSettings({ RECORDER_STALL_SECONDS: '', RECORDER_METRICS_HOST: '  ' }).stallSeconds, 10);
    assert.equal(loadRecorderSettings({ RECORDER_METRICS_HOST: '  ' }).internalHost, '127.0.0.1');
  });

  test('RECORDER_INTERNAL_* are the names, RECORDER_METRICS_* their aliases (the new name wins); live limits and the advertised URL', () => {
    const s = loadRecorderSettings({ RECORDER_METRICS_PORT: '9100', RECORDER_INTERNAL_PORT: '9200', RECORDER_METRICS_HOST: '10.0.0.1', RECORDER_ADVERTISE_URL: 'http://rec-1.lan:9200/', RECORDER_LIVE_MAX_VIEWERS: '3', RECORDER_LIVE_QUEUE_BYTES: '65536' });
    assert.deepEqual([s.internalPort, s.internalHost, s.advertiseUrl], [9200, '10.0.0.1', 'http://rec-1.lan:9200']);
    assert.deepEqual(s.live, { maxViewers: 3, queueBytes: 65536 });
    assert.equal(loadRecorderSettings({ RECORDER_METRICS_PORT: '9100' }).internalPort, 9100);
    const e = configError({ RECORDER_ADVERTISE_URL: 'ftp://x', RECORDER_LIVE_MAX_VIEWERS: '0', RECORDER_LIVE_QUEUE_BYTES: '1000' });
    assert.deepEqual(e.issues.map((i) => i.variable).sort(), ['RECORDER_ADVERTISE_URL', 'RECORDER_LIVE_MAX_VIEWERS', 'RECORDER_LIVE_QUEUE_BYTES']);
  });

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
});

describe('recorder settings errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['RECORDER_METRICS_PORT', '65536', /^RECORDER_METRICS_PORT: expected an integer 0\.\.65535, got "65536"$/],
    ['RECORDER_METRICS_PORT', 'http', /^RECORDER_METRICS_PORT: expected an integer/],
    ['RECORDER_STALL_SECONDS', '0', /^RECORDER_STALL_SECONDS: expected an integer 1\.\.3600, got "0"$/],
    ['RECORDER_STALL_SECONDS', '2.5', /^RECORDER_STALL_SECONDS: expected an integer/],
    ['RECORDER_CLOCK_MAX_SKEW_SECONDS', '-1', /^RECORDER_CLOCK_MAX_SKEW_SECONDS: expected an integer 1\.\.315360000, got "-1"$/],
    ['RECORDER_MOTION', 'maybe', /^RECORDER_MOTION: expected on or off, got "maybe"$/],
    ['RECORDER_RESEND', '2', /^RECORDER_RESEND: expected on or off, got "2"$/],
    ['RECORDER_MOTION_SENSITIVITY', '1.5', /^RECORDER_MOTION_SENSITIVITY: expected a number 0\.\.1, got "1.5"$/],
    ['RECORDER_MOTION_SENSITIVITY', '-0.1', /^RECORDER_MOTION_SENSITIVITY: expected a number 0\.\.1/],
    ['RECORDER_MOTION_SENSITIVITY', 'high', /^RECORDER_MOTION_SENSITIVITY: expected a number 0\.\.1/],
    ['RECORDER_MOTION_MIN_EVENT_MS', '-1', /^RECORDER_MOTION_MIN_EVENT_MS: expected an integer 0\.\.600000/],
    ['RECORDER_MOTION_MERGE_GAP_MS', '1.5', /^RECORDER_MOTION_MERGE_GAP_MS: expected an integer/],
    ['RECORDER_MOTION_PRE_ROLL_MS', '600001', /^RECORDER_MOTION_PRE_ROLL_MS: expected an integer 0\.\.600000, got "600001"$/],
    ['RECORDER_MOTION_POST_ROLL_MS', 'ten', /^RECORDER_MOTION_POST_ROLL_MS: expected an integer/],
    ['RECORDER_MOTION_KEYFRAME_PICTURES', '2', /^RECORDER_MOTION_KEYFRAME_PICTURES: expected on or off/],
    ['RECORDER_NODE_ID', 'rec one', /^RECORDER_NODE_ID: expected 1 to 64 letters, digits/],
    ['RECORDER_NODE_ID', 'x'.repeat(65), /^RECORDER_NODE_ID: expected 1 to 64/],
    ['RECORDER_LEASE_TTL_SECONDS', '2', /^RECORDER_LEASE_TTL_SECONDS: expected an integer 3\.\.300, got "2"$/],
  ];
  for (const [variable, value, pattern] of cases) {
    test(`${variable}=${JSON.stringify(value)} is rejected by name`, () => {
      const err = configError({ [variable]: value });
      assert.equal(err.issues.length, 1);
      assert.equal(err.issues[0].variable, variable);
      assert.match(`${err.issues[0].variable}: ${err.issues[0].message}`, pattern);
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, new RegExp(`^invalid configuration: ${variable}: `));
    });
  }

  test('cluster: no node id (one is created under DATA_DIR) and a 10 s lease TTL by default; both read from RECORDER_*', () => {
    assert.deepEqual(loadRecorderSettings({}).cluster, { nodeId: undefined, leaseTtlSeconds: 10 });
    assert.deepEqual(loadRecorderSettings({ RECORDER_NODE_ID: ' rec-2.lan:a_1 ', RECORDER_LEASE_TTL_SECONDS: '30' }).cluster, { nodeId: 'rec-2.lan:a_1', leaseTtlSeconds: 30 });
  });

  test('every bad recorder variable is reported, not only the first', () => {
    const err = configError({ RECORDER_STALL_SECONDS: 'x', RECORDER_MOTION: 'y', RECORDER_METRICS_PORT: 'z' });
    assert.deepEqual(err.issues.map((i) => i.variable).sort(), ['RECORDER_METRICS_PORT', 'RECORDER_MOTION', 'RECORDER_STALL_SECONDS']);
  });
});
