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

export function loadRecorderSettings(env: Record<string, string | undefined> = process.env): RecorderSettings {
  return {
    metricsPort: int(env, 'RECORDER_METRICS_PORT', 0, 65535),
    metricsHost: env.RECORDER_METRICS_HOST?.trim() || '127.0.0.1',
    stallSeconds: int(env, 'RECORDER_STALL_SECONDS', 1, 3600) ?? 10,
    clockMaxSkewSeconds: int(env, 'RECORDER_CLOCK_MAX_SKEW_SECONDS', 1, 10 * 365 * 86400) ?? 30,
  };
}
