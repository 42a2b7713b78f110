/**
 * Each camera control as the API names it, mapped onto its K-commands (av/k-controls.ts, av/k-ptz.ts): how
 * to read its value, how to write one, and what a valid value is. The client sends these requests with
 * CameraSession.command; the device answers the same commands (device/control-handlers.ts).
 */
import type { HlMessage } from '../av/hl';
import { KControlCmd, KParam, KState, TIME_ZONE_MAX, TIME_ZONE_MIN, buildK10020, buildK10302, buildKGet, buildKSiren, buildKState, buildKUnixTime, isTimeZone, kReplyOf, parseK10021, parseK10051, parseKDone, parseKSiren, parseKState, parseKUnixTime } from '../av/k-controls';
import { KPtzCmd, PTZ_SPEED_DEFAULT, buildK11000, buildK11002, buildK11018, buildKCruisePoints, parseKCruisePoints, type PtzStep } from '../av/k-ptz';
import type { KRequest } from '../av/k-request';
import { NIGHT_VISION_VALUES, checkCameraTime, checkCruisePoints, checkNightVision, checkPtzMove, checkSwitch, checkTimeZone, type Checked, type NightVision, type PtzMove, type VideoValue } from './control-values';
import type { ControlName } from './model-capabilities';

/** How a client presents a control (the web app and MQTT discovery choose their widgets by it). */
export type ControlKind = 'switch' | 'select' | 'number' | 'time' | 'info' | 'points' | 'ptz';

export interface ControlSpec {
  name: ControlName;
  kind: ControlKind;
  /** For 'select'. */
  options?: readonly string[];
  /** For 'number'. */
  min?: number;
  max?: number;
  /** The request that reads it, when the camera can be asked. */
  getCmd?: number;
  /** The request(s) that change it. */
  setCmds: readonly number[];
  /** Its value now, in API form (null when the camera's answer holds none). */
  read?(): KRequest<unknown>;
  /** Checks an API value; the value a write takes is the checked one. */
  check(input: unknown): Checked<unknown>;
  /** The request for a checked value; `nowMs` is the host clock for "now". Resolves true when the camera acknowledged. */
  write?(value: unknown, nowMs: number): KRequest<boolean>;
}

const onOff = (on: boolean): number => (on ? KState.On : KState.Off);
const NIGHT_VISION_STATE: Readonly<Record<NightVision, number>> = { on: KState.On, off: KState.Off, auto: KState.Auto };

function get<T>(cmd: number, parse: (m: HlMessage) => T): KRequest<T> {
  return { hl: buildKGet(cmd), reply: kReplyOf(cmd), parse };
}

function done(hl: Uint8Array, cmd: number): KRequest<boolean> {
  return { hl, reply: kReplyOf(cmd), parse: (m) => parseKDone(m, kReplyOf(cmd)) };
}

/** An on/off setting read with `getCmd` and written with `setCmd`, one state byte each way. */
function switchSpec(name: ControlName, getCmd: number | undefined, setCmd: number): ControlSpec {
  return {
    name,
    kind: 'switch',
    getCmd,
    setCmds: [setCmd],
    read: getCmd === undefined ? undefined : () => get(getCmd, (m) => parseKState(m, kReplyOf(getCmd)) === KState.On),
    check: checkSwitch,
    write: (v) => done(buildKState(setCmd, onOff(v as boolean)), setCmd),
  };
}

const STEP: Readonly<Record<string, Pick<PtzStep, 'horizontal' | 'vertical'>>> = {
  left: { horizontal: 1, vertical: 0 },
  right: { horizontal: 2, vertical: 0 },
  up: { horizontal: 0, vertical: 1 },
  down: { horizontal: 0, vertical: 2 },
};

function ptzRequest(m: PtzMove, nowMs: number): KRequest<boolean> {
  switch (m.action) {
    case 'step':
      return done(buildK11002({ ...STEP[m.direction], speed: m.speed ?? PTZ_SPEED_DEFAULT }), KPtzCmd.Step);
    case 'rotate':
      // Never answered (device_config.json has no 11001): done once it is on the wire.
      return { hl: buildK11000({ horizontal: m.horizontal, vertical: m.vertical, speed: m.speed ?? PTZ_SPEED_DEFAULT }), reply: undefined, sent: true };
    case 'goto':
      return done(buildK11018({ horizontal: m.horizontal, vertical: m.vertical, stamp: nowMs % 1_000_000_000 }), KPtzCmd.GoTo);
  }
}

function videoOf(m: HlMessage): VideoValue {
  const v = parseK10051(m);
  return { bitrateKBps: v.bitrate, frameSize: v.frameSize === 0 ? null : v.frameSize - 1, fps: v.fps, horizontalFlip: v.horizontalFlip === KState.On, verticalFlip: v.verticalFlip === KState.On };
}

function timeZoneOf(m: HlMessage): number | null {
  const raw = parseK10021(m)[String(KParam.TimeZone)];
  const hours = raw === undefined ? NaN : Number(raw);
  return isTimeZone(hours) ? hours : null;
}

const readOnly = (): Checked<unknown> => ({ ok: false, reason: 'is read-only' });

export const CONTROL_SPECS: Readonly<Record<ControlName, ControlSpec>> = {
  'status-light': switchSpec('status-light', KControlCmd.GetStatusLight, KControlCmd.SetStatusLight),
  'night-vision': {
    name: 'night-vision',
    kind: 'select',
    options: NIGHT_VISION_VALUES,
    getCmd: KControlCmd.GetNightVision,
    setCmds: [KControlCmd.SetNightVision],
    read: () => get(KControlCmd.GetNightVision, (m) => NIGHT_VISION_VALUES[parseKState(m, kReplyOf(KControlCmd.GetNightVision), 3) - 1]),
    check: checkNightVision,
    write: (v) => done(buildKState(KControlCmd.SetNightVision, NIGHT_VISION_STATE[v as NightVision], 3), KControlCmd.SetNightVision),
  },
  'ir-led': switchSpec('ir-led', KControlCmd.GetIrLed, KControlCmd.SetIrLed),
  siren: {
    ...switchSpec('siren', KControlCmd.GetSiren, KControlCmd.SetSiren),
    read: () => get(KControlCmd.GetSiren, (m) => parseKSiren(m, kReplyOf(KControlCmd.GetSiren)) === KState.On),
    write: (v) => done(buildKSiren(KControlCmd.SetSiren, onOff(v as boolean)), KControlCmd.SetSiren),
  },
  spotlight: switchSpec('spotlight', KControlCmd.GetSpotlight, KControlCmd.SetSpotlight),
  floodlight: switchSpec('floodlight', undefined, KControlCmd.SetFloodlight),
  'camera-time': {
    name: 'camera-time',
    kind: 'time',
    getCmd: KControlCmd.GetCameraTime,
    setCmds: [KControlCmd.SetCameraTime],
    read: () => get(KControlCmd.GetCameraTime, (m) => new Date(parseKUnixTime(m, kReplyOf(KControlCmd.GetCameraTime)) * 1000).toISOString()),
    check: checkCameraTime,
    write: (v, nowMs) => done(buildKUnixTime(KControlCmd.SetCameraTime, v === 'now' ? Math.round(nowMs / 1000) : (v as number)), KControlCmd.SetCameraTime),
  },
  'time-zone': {
    name: 'time-zone',
    kind: 'number',
    min: TIME_ZONE_MIN,
    max: TIME_ZONE_MAX,
    getCmd: KControlCmd.GetParams,
    setCmds: [KControlCmd.SetTimeZone],
    read: () => ({ hl: buildK10020([KParam.TimeZone]), reply: kReplyOf(KControlCmd.GetParams), parse: timeZoneOf }),
    check: checkTimeZone,
    write: (v) => done(buildK10302(v as number), KControlCmd.SetTimeZone),
  },
  video: { name: 'video', kind: 'info', getCmd: KControlCmd.GetVideoParam, setCmds: [], read: () => get(KControlCmd.GetVideoParam, videoOf), check: readOnly },
  ptz: {
    name: 'ptz',
    kind: 'ptz',
    setCmds: [KPtzCmd.Step, KPtzCmd.RotateByDegrees, KPtzCmd.GoTo],
    check: checkPtzMove,
    write: (v, nowMs) => ptzRequest(v as PtzMove, nowMs),
  },
  'pan-scan': switchSpec('pan-scan', KPtzCmd.GetPanScan, KPtzCmd.SetPanScan),
  'cruise-points': {
    name: 'cruise-points',
    kind: 'points',
    getCmd: KPtzCmd.GetCruisePoints,
    setCmds: [KPtzCmd.SetCruisePoints],
    read: () => get(KPtzCmd.GetCruisePoints, (m) => parseKCruisePoints(m, kReplyOf(KPtzCmd.GetCruisePoints)).map(({ horizontal, vertical, waitSeconds }) => ({ horizontal, vertical, waitSeconds }))),
    check: checkCruisePoints,
    write: (v) => done(buildKCruisePoints(KPtzCmd.SetCruisePoints, (v as { horizontal: number; vertical: number; waitSeconds: number }[]).map((p) => ({ ...p, blank: 0 }))), KPtzCmd.SetCruisePoints),
  },
  'motion-tracking': switchSpec('motion-tracking', KPtzCmd.GetMotionTracking, KPtzCmd.SetMotionTracking),
};

/** The K-commands of a control, requests only (a camera that lacks the control gets none of them). */
export const commandsOf = (s: ControlSpec): number[] => [...(s.getCmd === undefined ? [] : [s.getCmd]), ...s.setCmds];
