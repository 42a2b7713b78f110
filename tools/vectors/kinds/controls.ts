// Camera-control K-commands (libs/tutk av/k-controls.ts, av/k-ptz.ts) in both directions:
//   k_control_request: the client builds a control's request (controls/control-specs.ts) → the bytes; the
//                      camera's parser reads those bytes → the fields.
//   k_control_reply:   the camera builds a reply from fields → the bytes; the client's parser (the control
//                      spec's) reads those bytes → the API value.
// test/vectors/controls.json holds the vectors; their bytes come from the public description
// (docker-wyze-bridge tutk_protocol.py pack formats), not from this code.
import type { HlMessage } from '../../../libs/tutk/src/av/hl';
import { parseHl } from '../../../libs/tutk/src/av/hl';
import {
  KControlCmd,
  buildK10021,
  buildK10051,
  buildKDone,
  buildKSiren,
  buildKState,
  buildKUnixTime,
  parseK10020,
  parseK10302,
  parseKGet,
  parseKSiren,
  parseKState,
  parseKUnixTime,
} from '../../../libs/tutk/src/av/k-controls';
import { KPtzCmd, buildKCruisePoints, parseK11000, parseK11002, parseK11018, parseKCruisePoints, type CruisePoint } from '../../../libs/tutk/src/av/k-ptz';
import type { KRequest } from '../../../libs/tutk/src/av/k-request';
import { CONTROL_SPECS } from '../../../libs/tutk/src/controls/control-specs';
import { isControlName } from '../../../libs/tutk/src/controls/model-capabilities';
import { type Vector, type VectorKinds, expectEqual, hex, toHex } from '../types';

type Fields = Record<string, unknown>;

const GETS: readonly number[] = [
  KControlCmd.GetStatusLight,
  KControlCmd.GetNightVision,
  KControlCmd.GetIrLed,
  KControlCmd.GetVideoParam,
  KControlCmd.GetCameraTime,
  KControlCmd.GetSiren,
  KControlCmd.GetSpotlight,
  KPtzCmd.GetCruisePoints,
  KPtzCmd.GetPanScan,
  KPtzCmd.GetMotionTracking,
];
const STATE_SETS: readonly number[] = [KControlCmd.SetStatusLight, KControlCmd.SetIrLed, KControlCmd.SetSpotlight, KControlCmd.SetFloodlight, KPtzCmd.SetPanScan, KPtzCmd.SetMotionTracking];
const STATE_REPLIES = [10031, 10045, 10641, 11015, 11021];

const points = (ps: CruisePoint[]) => ps.map((p) => ({ vertical: p.vertical, horizontal: p.horizontal, wait_seconds: p.waitSeconds, blank: p.blank }));

/** What the camera's parser reads of a request. */
function cameraReads(m: HlMessage): Fields {
  const cmd = m.cmd;
  if (GETS.includes(cmd)) return (parseKGet(m, cmd), {});
  if (STATE_SETS.includes(cmd)) return { state: parseKState(m, cmd) };
  switch (cmd) {
    case KControlCmd.SetNightVision:
      return { state: parseKState(m, cmd, 3) };
    case KControlCmd.SetSiren:
      return { state: parseKSiren(m, cmd) };
    case KControlCmd.SetCameraTime:
      return { unix_seconds: parseKUnixTime(m, cmd) };
    case KControlCmd.GetParams:
      return { ids: parseK10020(m) };
    case KControlCmd.SetTimeZone:
      return { hours: parseK10302(m) };
    case KPtzCmd.RotateByDegrees:
    case KPtzCmd.Step:
      return { ...(cmd === KPtzCmd.Step ? parseK11002(m) : parseK11000(m)) };
    case KPtzCmd.GoTo:
      return { ...parseK11018(m) };
    case KPtzCmd.SetCruisePoints:
      return { points: points(parseKCruisePoints(m, cmd)) };
    default:
      throw new Error(`no camera-side parser for K${cmd}`);
  }
}

const num = (f: Fields, k: string): number => {
  if (typeof f[k] !== 'number') throw new Error(`fields.${k} is not a number`);
  return f[k] as number;
};

/** The reply the camera builds from fields. */
function cameraBuilds(cmd: number, f: Fields): Uint8Array {
  if (STATE_REPLIES.includes(cmd)) return buildKState(cmd, num(f, 'state'));
  switch (cmd) {
    case 10041:
      return buildKState(cmd, num(f, 'state'), 3);
    case 10633:
      return buildKSiren(cmd, num(f, 'state'));
    case 10091:
      return buildKUnixTime(cmd, num(f, 'unix_seconds'));
    case 10021:
      return buildK10021(f.params as Record<number, string>);
    case 10051:
      return buildK10051({ bitrate: num(f, 'bitrate'), frameSize: num(f, 'frame_size'), fps: num(f, 'fps'), horizontalFlip: num(f, 'horizontal_flip'), verticalFlip: num(f, 'vertical_flip') });
    case 11011:
      return buildKCruisePoints(cmd, (f.points as Fields[]).map((p) => ({ vertical: num(p, 'vertical'), horizontal: num(p, 'horizontal'), waitSeconds: num(p, 'wait_seconds'), blank: num(p, 'blank') })));
    default:
      if ('result' in f) return buildKDone(cmd, num(f, 'result'));
      throw new Error(`no camera-side builder for K${cmd}`);
  }
}

/** The client's request for the vector's control, operation and value. */
function clientRequest(v: Vector): KRequest<unknown> {
  const name = v.inputs.control;
  if (typeof name !== 'string' || !isControlName(name)) throw new Error(`unknown control ${String(name)}`);
  const spec = CONTROL_SPECS[name];
  if (v.inputs.op === 'read') {
    if (!spec.read) throw new Error(`${name} cannot be read`);
    return spec.read();
  }
  const checked = spec.check(v.inputs.value);
  if (!checked.ok) throw new Error(`value ${JSON.stringify(v.inputs.value)}: ${checked.reason}`);
  if (!spec.write) throw new Error(`${name} cannot be written`);
  return spec.write(checked.value, typeof v.inputs.now_ms === 'number' ? v.inputs.now_ms : 0);
}

export const kinds: VectorKinds = {
  k_control_request(v) {
    const req = clientRequest(v);
    expectEqual('hl', v.expected.hl, toHex(req.hl));
    const m = parseHl(hex(v.expected.hl));
    expectEqual('cmd', v.expected.cmd, m.cmd);
    expectEqual('reply', v.expected.reply ?? null, req.reply ?? null);
    expectEqual('camera reads', v.expected.fields, cameraReads(m));
  },

  k_control_reply(v) {
    const req = clientRequest(v);
    if (req.reply === undefined) throw new Error('this request has no reply');
    const cmd = v.inputs.cmd;
    expectEqual('reply cmd', cmd, req.reply);
    expectEqual('hl', v.expected.hl, toHex(cameraBuilds(req.reply, v.inputs.fields as Fields)));
    expectEqual('client reads', v.expected.value, req.parse(parseHl(hex(v.expected.hl))));
  },
};
