import { z } from 'zod';
import { configErrorOf, flag, fraction, httpBaseUrl, integer, optionalInteger, unset } from './env-fields';
import { mqttEnvironment, mqttSettingsOf, type MqttSettings } from './mqtt-config';

/** Recorder-only settings, read from the environment once at startup beside AppConfig. */
export interface RecorderSettings {
  /**
   * RECORDER_INTERNAL_PORT (alias RECORDER_METRICS_PORT; the new name wins): the recorder's internal HTTP
   * server (`/metrics`, and the live streams and snapshots the API proxies). Always on; default 0, any free
   * port (logged, and written into each camera's status row).
   */
  internalPort: number;
  /** RECORDER_INTERNAL_HOST (alias RECORDER_METRICS_HOST), default 127.0.0.1. */
  internalHost: string;
  /** RECORDER_ADVERTISE_URL: the base URL the API reaches the internal server at; default http://<bound host>:<port>. */
  advertiseUrl: string | undefined;
  live: LiveSettings;
  /** RECORDER_STALL_SECONDS: a session with no frame for this long is restarted. Default 10. */
  stallSeconds: number;
  /** RECORDER_CLOCK_MAX_SKEW_SECONDS: camera time is trusted within this distance of the host clock. Default 30. */
  clockMaxSkewSeconds: number;
  /**
   * RECORDER_CAMERA_CLOCK_SYNC_SECONDS: on connect, a camera whose clock (K10090) is further than this from the
   * host's is set to host time (K10092). 0 turns it off. Default 5.
   */
  cameraClockSyncSeconds: number;
  /**
   * RECORDER_RESEND: on|off. On: the AV login asks cameras for resend = 1, the wrapped format with
   * retransmission of lost packets (a camera that sends the direct format anyway is recorded as it is);
   * off forces resend = 0, go2rtc's mode. Default on.
   */
  resend: boolean;
  motion: MotionSettings;
  /** MQTT_URL and friends (./mqtt-config.ts); undefined: MQTT off. */
  mqtt: MqttSettings | undefined;
  cluster: ClusterSettings;
}

/** Several recorders on one database (apps/recorder/src/cluster). */
export interface ClusterSettings {
  /**
   * RECORDER_NODE_ID: this recorder's name among the others (letters, digits, `.`, `_`, `-`, `:`; at most 64).
   * Default: an id created once under DATA_DIR (`node-id`), so a restart is the same node.
   */
  nodeId: string | undefined;
  /** RECORDER_LEASE_TTL_SECONDS: a camera lease lapses this long after its last renewal (renewed every ~TTL/3). Default 10. */
  leaseTtlSeconds: number;
}

/** What RECORDER_NODE_ID may be: it is written into rows and logs, so nothing that needs quoting. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

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

/** Live view limits (apps/recorder/src/live). */
export interface LiveSettings {
  /** RECORDER_LIVE_MAX_VIEWERS: viewers per camera at a time (WebSocket and live.mp4); more get 429. Default 20. */
  maxViewers: number;
  /** RECORDER_LIVE_QUEUE_BYTES: bytes a viewer may have waiting before it is skipped to the next keyframe. Default 4 MiB. */
  queueBytes: number;
}

const TEN_MINUTES_MS = 600_000;
const TEN_YEARS_S = 10 * 365 * 86400;

const recorderEnvironment = z.object({
  RECORDER_INTERNAL_PORT: optionalInteger(0, 65535),
  RECORDER_METRICS_PORT: optionalInteger(0, 65535),
  // Not validated beyond trimming: listen() names a bad host when the server starts.
  RECORDER_INTERNAL_HOST: z.preprocess(unset, z.string().optional()),
  RECORDER_METRICS_HOST: z.preprocess(unset, z.string().optional()),
  RECORDER_ADVERTISE_URL: httpBaseUrl(),
  RECORDER_LIVE_MAX_VIEWERS: integer(1, 10_000, 20),
  RECORDER_LIVE_QUEUE_BYTES: integer(64 * 1024, 256 * 1024 * 1024, 4 * 1024 * 1024),
  RECORDER_STALL_SECONDS: integer(1, 3600, 10),
  RECORDER_CLOCK_MAX_SKEW_SECONDS: integer(1, TEN_YEARS_S, 30),
  RECORDER_CAMERA_CLOCK_SYNC_SECONDS: integer(0, 86_400, 5),
  RECORDER_RESEND: flag(true),
  RECORDER_MOTION: flag(true),
  RECORDER_MOTION_SENSITIVITY: fraction(0.5),
  RECORDER_MOTION_MIN_EVENT_MS: integer(0, TEN_MINUTES_MS, 1000),
  RECORDER_MOTION_MERGE_GAP_MS: integer(0, TEN_MINUTES_MS, 4000),
  RECORDER_MOTION_PRE_ROLL_MS: integer(0, TEN_MINUTES_MS, 5000),
  RECORDER_MOTION_POST_ROLL_MS: integer(0, TEN_MINUTES_MS, 5000),
  RECORDER_MOTION_KEYFRAME_PICTURES: flag(true),
  RECORDER_NODE_ID: z.preprocess(unset, z.string().trim().regex(NODE_ID_PATTERN, 'expected 1 to 64 letters, digits, ".", "_", "-" or ":"').optional()),
  RECORDER_LEASE_TTL_SECONDS: integer(3, 300, 10),
}).merge(mqttEnvironment);

/** Parses the recorder's variables; throws ConfigError naming every bad one. */
export function loadRecorderSettings(env: Record<string, string | undefined> = process.env): RecorderSettings {
  const parsed = recorderEnvironment.safeParse(env);
  if (!parsed.success) throw configErrorOf(parsed.error);
  const v = parsed.data;
  return {
    internalPort: v.RECORDER_INTERNAL_PORT ?? v.RECORDER_METRICS_PORT ?? 0,
    internalHost: v.RECORDER_INTERNAL_HOST?.trim() || v.RECORDER_METRICS_HOST?.trim() || '127.0.0.1',
    advertiseUrl: v.RECORDER_ADVERTISE_URL,
    live: { maxViewers: v.RECORDER_LIVE_MAX_VIEWERS, queueBytes: v.RECORDER_LIVE_QUEUE_BYTES },
    stallSeconds: v.RECORDER_STALL_SECONDS,
    clockMaxSkewSeconds: v.RECORDER_CLOCK_MAX_SKEW_SECONDS,
    cameraClockSyncSeconds: v.RECORDER_CAMERA_CLOCK_SYNC_SECONDS,
    resend: v.RECORDER_RESEND,
    motion: {
      enabled: v.RECORDER_MOTION,
      sensitivity: v.RECORDER_MOTION_SENSITIVITY,
      minEventMs: v.RECORDER_MOTION_MIN_EVENT_MS,
      mergeGapMs: v.RECORDER_MOTION_MERGE_GAP_MS,
      preRollMs: v.RECORDER_MOTION_PRE_ROLL_MS,
      postRollMs: v.RECORDER_MOTION_POST_ROLL_MS,
      keyframePictures: v.RECORDER_MOTION_KEYFRAME_PICTURES,
    },
    mqtt: mqttSettingsOf(v),
    cluster: { nodeId: v.RECORDER_NODE_ID, leaseTtlSeconds: v.RECORDER_LEASE_TTL_SECONDS },
  };
}
