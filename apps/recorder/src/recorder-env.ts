/**
 * Recorder-only settings, read from the environment once at startup (a bad value names its variable).
 * Kept here until the lead moves them into @wyze-nvr/config.
 */
export interface RecorderSettings {
  /** RECORDER_METRICS_PORT: Prometheus endpoint; absent: no endpoint. 0 picks a free port (logged). */
  metricsPort: number | undefined;
  /** RECORDER_METRICS_HOST, default 127.0.0.1. */
  metricsHost: string;
  /** RECORDER_STALL_SECONDS: a session with no frame for this long is restarted. Default 10. */
  stallSeconds: number;
  /** RECORDER_CLOCK_MAX_SKEW_SECONDS: camera time is trusted within this distance of the host clock. Default 30. */
  clockMaxSkewSeconds: number;
  motion: MotionSettings;
}

/**
 * Motion detection per camera (libs/motion). Durations in ms. Defaults: on, sensitivity 0.5, events of at
 * least 1000 ms, motion closer than 4000 ms merged into one event, 5000 ms pre-roll and post-roll, keyframe
 * pictures on (one long-lived ffmpeg per camera decoding one keyframe per GOP to 160×90 grey).
 */
export interface MotionSettings {
  /** RECORDER_MOTION: on|off. Default on. */
  enabled: boolean;
  /** RECORDER_MOTION_SENSITIVITY: 0..1; 1 halves the detection thresholds, 0 doubles them. Default 0.5. */
  sensitivity: number;
  /** RECORDER_MOTION_MIN_EVENT_MS: shorter motion is not an event. Default 1000. */
  minEventMs: number;
  /** RECORDER_MOTION_MERGE_GAP_MS: motion closer than this is one event. Default 4000. */
  mergeGapMs: number;
  /** RECORDER_MOTION_PRE_ROLL_MS: footage kept (and clipped) before an event. Default 5000. */
  preRollMs: number;
  /** RECORDER_MOTION_POST_ROLL_MS: footage kept (and clipped) after an event. Default 5000. */
  postRollMs: number;
  /**
   * RECORDER_MOTION_KEYFRAME_PICTURES: on|off. Off: slice headers only (no ffmpeg), which misses most motion
   * under constant-bitrate encoders (libs/motion README). Default on.
   */
  keyframePictures: boolean;
}

export class RecorderSettingsError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'RecorderSettingsError';
  }
}

function int(env: Record<string, string | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new RecorderSettingsError(name, `expected an integer ${min}..${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function flag(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new RecorderSettingsError(name, `expected on or off, got ${JSON.stringify(env[name])}`);
}

function fraction(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= 1)) throw new RecorderSettingsError(name, `expected a number 0..1, got ${JSON.stringify(raw)}`);
  return n;
}

const TEN_MINUTES_MS = 600_000;

function loadMotionSettings(env: Record<string, string | undefined>): MotionSettings {
  return {
    enabled: flag(env, 'RECORDER_MOTION') ?? true,
    sensitivity: fraction(env, 'RECORDER_MOTION_SENSITIVITY') ?? 0.5,
    minEventMs: int(env, 'RECORDER_MOTION_MIN_EVENT_MS', 0, TEN_MINUTES_MS) ?? 1000,
    mergeGapMs: int(env, 'RECORDER_MOTION_MERGE_GAP_MS', 0, TEN_MINUTES_MS) ?? 4000,
    preRollMs: int(env, 'RECORDER_MOTION_PRE_ROLL_MS', 0, TEN_MINUTES_MS) ?? 5000,
    postRollMs: int(env, 'RECORDER_MOTION_POST_ROLL_MS', 0, TEN_MINUTES_MS) ?? 5000,
    keyframePictures: flag(env, 'RECORDER_MOTION_KEYFRAME_PICTURES') ?? true,
  };
}

export function loadRecorderSettings(env: Record<string, string | undefined> = process.env): RecorderSettings {
  return {
    metricsPort: int(env, 'RECORDER_METRICS_PORT', 0, 65535),
    metricsHost: env.RECORDER_METRICS_HOST?.trim() || '127.0.0.1',
    stallSeconds: int(env, 'RECORDER_STALL_SECONDS', 1, 3600) ?? 10,
    clockMaxSkewSeconds: int(env, 'RECORDER_CLOCK_MAX_SKEW_SECONDS', 1, 10 * 365 * 86400) ?? 30,
    motion: loadMotionSettings(env),
  };
}
