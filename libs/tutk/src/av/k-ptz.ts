/**
 * Pan and tilt as K-commands, on the pan models only (controls/model-capabilities.ts). Requests and replies
 * as in ./k-controls.ts, from the same public source: mrlt8/docker-wyze-bridge app/wyzecam/tutk/
 * tutk_protocol.py (class named beside each command), with app/wyzecam/tutk/device_config.json for which
 * replies exist: it lists 11000, 11002, 11003 and 11004 for the pan models but no 11001 or 11005, and
 * wyzebridge/wyze_control.py does not wait for an answer to K11000 or K11004. So K11000 is sent once and
 * never answered.
 *
 * Directions as wyzebridge/wyze_commands.py gives them: positive horizontal degrees turn right, positive
 * vertical degrees tilt up (CMD_VALUES "right": (90, 0), "up": (0, 90)).
 */
import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { buildHl, hlPayload, type HlInput } from './hl';

export const KPtzCmd = {
  /** K11000SetRotaryByDegree: [0-1] i16 horizontal, [2-3] i16 vertical degrees, [4] speed. No reply. */
  RotateByDegrees: 11000,
  /** K11002SetRotaryByAction: one step, [0] horizontal 0/1 left/2 right, [1] vertical 0/1 up/2 down, [2] speed. */
  Step: 11002,
  /** K11010GetCruisePoints / K11012SetCruisePoints: the points of "pan scan". */
  GetCruisePoints: 11010,
  SetCruisePoints: 11012,
  /** K11014GetCruise / K11016SetCruise: pan scan (cruise) on 1, off 2. */
  GetPanScan: 11014,
  SetPanScan: 11016,
  /** K11018SetPTZPosition: go to an absolute position. */
  GoTo: 11018,
  /** K11020GetMotionTracking / K11022SetMotionTracking: follow motion, 1 on, 2 off. */
  GetMotionTracking: 11020,
  SetMotionTracking: 11022,
} as const;

/** wyzecam's default and its accepted range for the speed byte. */
export const PTZ_SPEED_DEFAULT = 5;
export const PTZ_SPEED_MIN = 1;
export const PTZ_SPEED_MAX = 9;

/** K11018SetPTZPosition and K11012SetCruisePoints document horizontal 0..350 and vertical 0..40 degrees. */
export const PTZ_HORIZONTAL_MAX = 350;
export const PTZ_VERTICAL_MAX = 40;

const isSpeed = (s: number): boolean => Number.isInteger(s) && s >= PTZ_SPEED_MIN && s <= PTZ_SPEED_MAX;
const i16 = (v: number): number => (v > 0x7fff ? v - 0x10000 : v);

function argRange(cmd: number, name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`K${cmd}: ${name} ${v} is not ${min}..${max}`);
  return v;
}

// ---- K11000: rotate by degrees

export interface PtzRotate {
  /** Degrees, right positive. */
  horizontal: number;
  /** Degrees, up positive. */
  vertical: number;
  speed: number;
}

export function buildK11000(r: PtzRotate): Uint8Array {
  const p = new Uint8Array(5);
  putU16le(p, 0, argRange(KPtzCmd.RotateByDegrees, 'horizontal', r.horizontal, -360, 360) & 0xffff);
  putU16le(p, 2, argRange(KPtzCmd.RotateByDegrees, 'vertical', r.vertical, -180, 180) & 0xffff);
  p[4] = argRange(KPtzCmd.RotateByDegrees, 'speed', r.speed, PTZ_SPEED_MIN, PTZ_SPEED_MAX);
  return buildHl(KPtzCmd.RotateByDegrees, p);
}

/** A speed outside 1..9 is read as wyzecam would send it instead: the default. */
export function parseK11000(input: HlInput): PtzRotate {
  const p = hlPayload(input, KPtzCmd.RotateByDegrees, 5);
  return { horizontal: i16(u16le(p, 0)), vertical: i16(u16le(p, 2)), speed: isSpeed(p[4]) ? p[4] : PTZ_SPEED_DEFAULT };
}

// ---- K11002: one step

/** 0 none; horizontal 1 left, 2 right; vertical 1 up, 2 down. */
export interface PtzStep {
  horizontal: 0 | 1 | 2;
  vertical: 0 | 1 | 2;
  speed: number;
}

export function buildK11002(s: PtzStep): Uint8Array {
  argRange(KPtzCmd.Step, 'horizontal', s.horizontal, 0, 2);
  argRange(KPtzCmd.Step, 'vertical', s.vertical, 0, 2);
  return buildHl(KPtzCmd.Step, Uint8Array.of(s.horizontal, s.vertical, argRange(KPtzCmd.Step, 'speed', s.speed, PTZ_SPEED_MIN, PTZ_SPEED_MAX)));
}

export function parseK11002(input: HlInput): PtzStep {
  const p = hlPayload(input, KPtzCmd.Step, 3);
  if (p[0] > 2 || p[1] > 2) throw new TutkParseError('hl', 'bad-value', `K11002 direction ${p[0]},${p[1]}`);
  return { horizontal: p[0] as PtzStep['horizontal'], vertical: p[1] as PtzStep['vertical'], speed: isSpeed(p[2]) ? p[2] : PTZ_SPEED_DEFAULT };
}

// ---- K11018: absolute position

export interface PtzGoTo {
  horizontal: number;
  vertical: number;
  /**
   * [0-3]: wyzecam writes the host's time in ms modulo 10⁹, a request stamp whose use is not known; the
   * camera side ignores it.
   */
  stamp: number;
}

/** [0-3] u32 stamp, [4] u8 vertical, [5-6] u16 horizontal (pack "<IBH"). */
export function buildK11018(g: PtzGoTo): Uint8Array {
  const p = new Uint8Array(7);
  putU32le(p, 0, argRange(KPtzCmd.GoTo, 'stamp', g.stamp, 0, 0xffff_ffff));
  p[4] = argRange(KPtzCmd.GoTo, 'vertical', g.vertical, 0, PTZ_VERTICAL_MAX);
  putU16le(p, 5, argRange(KPtzCmd.GoTo, 'horizontal', g.horizontal, 0, PTZ_HORIZONTAL_MAX));
  return buildHl(KPtzCmd.GoTo, p);
}

export function parseK11018(input: HlInput): PtzGoTo {
  const p = hlPayload(input, KPtzCmd.GoTo, 7);
  const g = { stamp: u32le(p, 0), vertical: p[4], horizontal: u16le(p, 5) };
  if (g.vertical > PTZ_VERTICAL_MAX || g.horizontal > PTZ_HORIZONTAL_MAX) throw new TutkParseError('hl', 'bad-value', `K11018 position ${g.horizontal},${g.vertical}`);
  return g;
}

// ---- K11012 / K11011: cruise points

/**
 * One point of pan scan: four bytes [vertical, horizontal, wait seconds, blank] (K11012SetCruisePoints). Each
 * is one byte although K11012 documents horizontal up to 350: a point can hold 0..255 only (how a camera
 * encodes more is OPEN), so our builders refuse more.
 */
export interface CruisePoint {
  vertical: number;
  horizontal: number;
  /** Seconds at the point; wyzecam's default 10, documented 10..255. */
  waitSeconds: number;
  /** "isBlankPst?" in wyzecam: meaning unknown; 0 in every point it writes. */
  blank: number;
}

export const CRUISE_WAIT_MIN = 10;
export const CRUISE_POINTS_MAX = 255;

/** [0] count, then four bytes per point: K11012's request and K11011's reply. */
export function buildKCruisePoints(cmd: number, points: readonly CruisePoint[]): Uint8Array {
  if (points.length > CRUISE_POINTS_MAX) throw new RangeError(`K${cmd}: ${points.length} cruise points`);
  const p = new Uint8Array(1 + 4 * points.length);
  p[0] = points.length;
  points.forEach((pt, i) => {
    p[1 + 4 * i] = argRange(cmd, 'vertical', pt.vertical, 0, PTZ_VERTICAL_MAX);
    p[2 + 4 * i] = argRange(cmd, 'horizontal', pt.horizontal, 0, 255);
    p[3 + 4 * i] = argRange(cmd, 'wait', pt.waitSeconds, 0, 255);
    p[4 + 4 * i] = argRange(cmd, 'blank', pt.blank, 0, 255);
  });
  return buildHl(cmd, p);
}

export function parseKCruisePoints(input: HlInput, cmd: number): CruisePoint[] {
  const p = hlPayload(input, cmd, 1);
  const n = p[0];
  if (p.length < 1 + 4 * n) throw new TutkParseError('hl', 'short', `K${cmd} has ${n} points in ${p.length - 1} bytes`);
  const out: CruisePoint[] = [];
  for (let i = 0; i < n; i++) out.push({ vertical: p[1 + 4 * i], horizontal: p[2 + 4 * i], waitSeconds: p[3 + 4 * i], blank: p[4 + 4 * i] });
  return out;
}
