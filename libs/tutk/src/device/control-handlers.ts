/**
 * The emulated camera's answers to the control K-commands (av/k-controls.ts, av/k-ptz.ts), as rows of the
 * K-command handler table (./k-command-handlers.ts). Each reads or changes CameraControlState.
 *
 * A command for a control the model lacks (controls/model-capabilities.ts), or for the spotlight without
 * its accessory, gets no answer at all. That is what a camera does as far as the public sources tell:
 * device_config.json lists the commands a model knows and their replies, with none for the rest, and the
 * SDK-based bridge reports such a request as "timed out" (wyzebridge/wyze_control.py, send_tutk_msg). The
 * client's IOCTRL then times out; it is counted here as controlsRefused.
 */
import type { HlMessage } from '../av/hl';
import { FrameSize, BITRATE_HD, BITRATE_SD, hdFrameSize } from '../av/resolution';
import { KControlCmd, KParam, KState, buildK10021, buildK10051, buildKDone, buildKSiren, buildKState, buildKUnixTime, kReplyOf, parseK10020, parseK10302, parseKGet, parseKSiren, parseKState, parseKUnixTime } from '../av/k-controls';
import { KPtzCmd, buildKCruisePoints, parseK11000, parseK11002, parseK11018, parseKCruisePoints } from '../av/k-ptz';
import { ACCESSORY_CONTROLS, modelHas, type ControlName } from '../controls/model-capabilities';
import type { CameraControlState } from './control-state';
import type { KCommandContext, KCommandHandler, KCommandOutcome } from './k-command-handlers';

/** Frames per second the emulator reports in K10051 and K10021: the committed fixtures' rate. */
const REPORTED_FPS = 20;

type StateKey = 'statusLight' | 'nightVision' | 'irLed' | 'spotlight' | 'floodlight' | 'panScan' | 'motionTracking';

const done = (cmd: number): KCommandOutcome => ({ reply: buildKDone(kReplyOf(cmd)) });

/** Answers only when the camera has `control`; otherwise silence (see the header). */
function forControl(control: ControlName, h: KCommandHandler): KCommandHandler {
  return (hl, ctx) => {
    const { model, accessories } = ctx.camera;
    if (!modelHas(model, control) || (ACCESSORY_CONTROLS.has(control) && !accessories.has(control))) {
      ctx.counters.controlsRefused++;
      return {};
    }
    return h(hl, ctx);
  };
}

/** A one-byte setting: its get (when the camera has one) and its set. */
function stateRows(control: ControlName, key: StateKey, getCmd: number | undefined, setCmd: number, max = 2): [number, KCommandHandler][] {
  const set: KCommandHandler = (hl, { camera }) => {
    camera.controls[key] = parseKState(hl, setCmd, max);
    return done(setCmd);
  };
  const rows: [number, KCommandHandler][] = [[setCmd, forControl(control, set)]];
  if (getCmd !== undefined) {
    const get: KCommandHandler = (hl, { camera }) => {
      parseKGet(hl, getCmd);
      return { reply: buildKState(kReplyOf(getCmd), camera.controls[key], max) };
    };
    rows.push([getCmd, forControl(control, get)]);
  }
  return rows;
}

const siren: [number, KCommandHandler][] = [
  [
    KControlCmd.SetSiren,
    (hl, { camera }) => {
      camera.controls.siren = parseKSiren(hl, KControlCmd.SetSiren);
      return done(KControlCmd.SetSiren);
    },
  ],
  [KControlCmd.GetSiren, (hl, { camera }) => (parseKGet(hl, KControlCmd.GetSiren), { reply: buildKSiren(kReplyOf(KControlCmd.GetSiren), camera.controls.siren) })],
];

/** K10090/K10092: the camera's clock is the one FRAMEINFO time comes from (CameraDevice.jumpClock moves it too). */
const time: [number, KCommandHandler][] = [
  [KControlCmd.GetCameraTime, (hl, ctx) => (parseKGet(hl, KControlCmd.GetCameraTime), { reply: buildKUnixTime(kReplyOf(KControlCmd.GetCameraTime), Math.floor(ctx.clock.nowMs() / 1000)) })],
  [
    KControlCmd.SetCameraTime,
    (hl, ctx) => {
      ctx.clock.set(parseKUnixTime(hl, KControlCmd.SetCameraTime) * 1000);
      return done(KControlCmd.SetCameraTime);
    },
  ],
];

/** K10021 values by parameter id, for the ids the emulator knows (wyze_commands.py PARAMS). */
function paramValue(id: number, c: CameraControlState, ctx: KCommandContext): number | undefined {
  const hd = ctx.session.quality === 'hd';
  switch (id) {
    case 1:
      return c.statusLight;
    case 2:
      return c.nightVision;
    case KParam.Bitrate:
      return hd ? BITRATE_HD : BITRATE_SD;
    case KParam.Resolution:
      return (hd ? hdFrameSize(ctx.camera.model) : FrameSize.P360) + 1;
    case KParam.Fps:
      return REPORTED_FPS;
    case KParam.TimeZone:
      return c.timeZone;
    default:
      return undefined;
  }
}

const params: KCommandHandler = (hl, ctx) => {
  const values: Record<number, string> = {};
  for (const id of parseK10020(hl)) {
    const v = paramValue(id, ctx.camera.controls, ctx);
    if (v !== undefined) values[id] = String(v);
  }
  return { reply: buildK10021(values) };
};

const videoParams: KCommandHandler = (hl, ctx) => {
  parseKGet(hl, KControlCmd.GetVideoParam);
  const hd = ctx.session.quality === 'hd';
  const frameSize = (hd ? hdFrameSize(ctx.camera.model) : FrameSize.P360) + 1;
  return { reply: buildK10051({ bitrate: hd ? BITRATE_HD : BITRATE_SD, frameSize, fps: REPORTED_FPS, horizontalFlip: KState.Off, verticalFlip: KState.Off }) };
};

const setTimeZone: KCommandHandler = (hl, { camera }) => {
  camera.controls.timeZone = parseK10302(hl);
  return done(KControlCmd.SetTimeZone);
};

const ptz: [number, KCommandHandler][] = [
  [
    KPtzCmd.RotateByDegrees,
    (hl, { camera }) => {
      const r = parseK11000(hl);
      camera.controls.rotate(r.horizontal, r.vertical);
      return {}; // never answered (k-ptz.ts)
    },
  ],
  [
    KPtzCmd.Step,
    (hl, { camera }) => {
      const s = parseK11002(hl);
      camera.controls.step(s.horizontal, s.vertical);
      return done(KPtzCmd.Step);
    },
  ],
  [
    KPtzCmd.GoTo,
    (hl, { camera }) => {
      const g = parseK11018(hl);
      camera.controls.goTo(g.horizontal, g.vertical);
      return done(KPtzCmd.GoTo);
    },
  ],
];

const cruisePoints: [number, KCommandHandler][] = [
  [KPtzCmd.GetCruisePoints, (hl: HlMessage, { camera }) => (parseKGet(hl, KPtzCmd.GetCruisePoints), { reply: buildKCruisePoints(kReplyOf(KPtzCmd.GetCruisePoints), camera.controls.cruisePoints) })],
  [
    KPtzCmd.SetCruisePoints,
    (hl, { camera }) => {
      camera.controls.cruisePoints = parseKCruisePoints(hl, KPtzCmd.SetCruisePoints);
      return done(KPtzCmd.SetCruisePoints);
    },
  ],
];

const guard = (control: ControlName, rows: [number, KCommandHandler][]): [number, KCommandHandler][] => rows.map(([cmd, h]) => [cmd, forControl(control, h)]);

/** The control rows of K_COMMAND_HANDLERS. */
export const CONTROL_HANDLERS: readonly [number, KCommandHandler][] = [
  ...stateRows('status-light', 'statusLight', KControlCmd.GetStatusLight, KControlCmd.SetStatusLight),
  ...stateRows('night-vision', 'nightVision', KControlCmd.GetNightVision, KControlCmd.SetNightVision, 3),
  ...stateRows('ir-led', 'irLed', KControlCmd.GetIrLed, KControlCmd.SetIrLed),
  ...guard('siren', siren),
  ...stateRows('spotlight', 'spotlight', KControlCmd.GetSpotlight, KControlCmd.SetSpotlight),
  ...stateRows('floodlight', 'floodlight', undefined, KControlCmd.SetFloodlight),
  ...guard('camera-time', time),
  [KControlCmd.GetParams, params],
  [KControlCmd.SetTimeZone, forControl('time-zone', setTimeZone)],
  [KControlCmd.GetVideoParam, forControl('video', videoParams)],
  ...guard('ptz', ptz),
  ...stateRows('pan-scan', 'panScan', KPtzCmd.GetPanScan, KPtzCmd.SetPanScan),
  ...guard('cruise-points', cruisePoints),
  ...stateRows('motion-tracking', 'motionTracking', KPtzCmd.GetMotionTracking, KPtzCmd.SetMotionTracking),
];
