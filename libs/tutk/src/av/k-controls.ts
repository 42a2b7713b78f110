/**
 * Camera settings as K-commands (HL messages inside IOCTRL frames, FACTS §8.5, §8.7, §9): status light, night
 * vision, IR light, siren, spotlight, floodlight, camera time and time zone, video parameters. PTZ is
 * ./k-ptz.ts. Builders for the client side and parsers for the camera side of every request; builders for
 * the camera side and parsers for the client side of every reply.
 *
 * Source of every number and layout: the public `wyzecam` library of docker-wyze-bridge, which drives the
 * official TUTK SDK — repository mrlt8/docker-wyze-bridge, file app/wyzecam/tutk/tutk_protocol.py (the
 * class named beside each command below), with app/wyzebridge/wyze_commands.py for the value meanings and
 * app/wyzecam/tutk/device_config.json for which reply numbers exist. A reply is the request's number + 1
 * (tutk_protocol.py, TutkWyzeProtocolMessage.expected_response_code). Where that source says nothing about a
 * reply's payload, the layout here is marked INFERRED.
 *
 * K10052 is not here: SEED §8 and §16.3 and FACTS §9/§9.1 name it the doorbell's resolution command, while wyzecam
 * also sends it to every model as a general "set video parameter" (K10052SetBitrate, K10052SetFPS,
 * K10052HorizontalFlip: the same 6-byte layout, zero meaning "unchanged"). Which meaning a camera applies
 * depends on its model: the doorbell-format models (av/resolution.ts, DOORBELL_RESOLUTION_MODELS) take their
 * resolution from it at connect; every other model takes resolution from K10056. Our controls only read the
 * video parameters (K10050, whose reply has K10052's layout) and never send K10052.
 */
import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { buildHl, hlOf, hlPayload as payloadOf, type HlInput } from './hl';

export const KControlCmd = {
  /** K10020CheckCameraParams: a list of parameter ids; the reply K10021 is JSON keyed by id. */
  GetParams: 10020,
  /** K10030GetNetworkLightStatus / K10032SetNetworkLightStatus: 1 on, 2 off. */
  GetStatusLight: 10030,
  SetStatusLight: 10032,
  /** K10040GetNightVisionStatus / K10042SetNightVisionStatus: 1 on, 2 off, 3 auto. */
  GetNightVision: 10040,
  SetNightVision: 10042,
  /** K10044GetIRLEDStatus / K10046SetIRLEDStatus: 1 on (850 nm long-range IR, or the LED), 2 off (940 nm). */
  GetIrLed: 10044,
  SetIrLed: 10046,
  /** K10050GetVideoParam: "only works on newer firmware" (wyze_commands.py). */
  GetVideoParam: 10050,
  /** K10090GetCameraTime / K10092SetCameraTime: u32 Unix seconds. */
  GetCameraTime: 10090,
  SetCameraTime: 10092,
  /** K10302SetTimeZone: a signed byte of hours, -11..13. Read back through K10020 parameter 22. */
  SetTimeZone: 10302,
  /** K10630SetAlarmFlashing / K10632GetAlarmFlashing: siren and alarm light together, [v, v], 1 on, 2 off. */
  SetSiren: 10630,
  GetSiren: 10632,
  /** K10640GetSpotlightStatus / K10646SetSpotlightStatus (spotlight accessory): 1 on, 2 off. */
  GetSpotlight: 10640,
  SetSpotlight: 10646,
  /** K12060SetFloodLightSwitch: 1 on, 2 off. wyzecam knows no way to read it back. */
  SetFloodlight: 12060,
} as const;

/** The number of the reply a request waits for (tutk_protocol.py: expected_response_code = code + 1). */
export const kReplyOf = (cmd: number): number => cmd + 1;

/** On/off (and auto) as the cameras write them: one byte each (wyze_commands.py CMD_VALUES). */
export const KState = { On: 1, Off: 2, Auto: 3 } as const;

/** K10020 parameter ids (wyze_commands.py PARAMS). */
export const KParam = { Bitrate: 3, Resolution: 4, Fps: 5, TimeZone: 22 } as const;

/** A request with no payload: every "get" here, and K11010/K11014/K11020. */
export const buildKGet = (cmd: number): Uint8Array => buildHl(cmd);

/** Camera side of a payload-less request: only the command is checked; SDK clients send nothing after it. */
export function parseKGet(input: HlInput, cmd: number): void {
  hlOf(input, cmd);
}

const isState = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;

/** A builder's argument: a wrong one is a bug of the caller. */
function stateArg(cmd: number, v: number, max: number): number {
  if (!isState(v, max)) throw new RangeError(`K${cmd}: state ${v} is not 1..${max}`);
  return v;
}

/** A parser's input: a wrong one is malformed and counted. */
function stateOf(cmd: number, v: number, max: number): number {
  if (!isState(v, max)) throw new TutkParseError('hl', 'bad-value', `K${cmd} state ${v}`);
  return v;
}

/** One state byte: the set requests K10032/K10042/K10046/K10646/K12060/K11016/K11022 and the get replies. */
export function buildKState(cmd: number, state: number, max = 2): Uint8Array {
  return buildHl(cmd, Uint8Array.of(stateArg(cmd, state, max)));
}

/** Reads [0]; 1..max, anything else is malformed (night vision's max is 3, every other setting's 2). */
export function parseKState(input: HlInput, cmd: number, max = 2): number {
  return stateOf(cmd, payloadOf(input, cmd, 1)[0], max);
}

/**
 * A set request's reply: one byte, 1 for done. INFERRED: wyzecam's K10056 reader treats `01` as success
 * (FACTS §9) and prints any other reply as it comes; the emulator answers `01`.
 */
export const buildKDone = (cmd: number, result = 1): Uint8Array => buildHl(cmd, Uint8Array.of(result));

/** True for `01`, and for an empty reply (the command number alone is the acknowledgement, FACTS §14.1). */
export function parseKDone(input: HlInput, cmd: number): boolean {
  const p = hlOf(input, cmd).payload;
  return p.length === 0 || p[0] === 1;
}

// ---- K10630 / K10633: siren (tutk_protocol.py K10630SetAlarmFlashing, K10632GetAlarmFlashing)

/** [0] siren, [1] alarm light: wyzecam always writes the same value twice, and reads (1,1) or (2,2). */
export function buildKSiren(cmd: number, state: number): Uint8Array {
  stateArg(cmd, state, 2);
  return buildHl(cmd, Uint8Array.of(state, state));
}

/** The first byte decides; a reply of one byte is read as that byte. */
export function parseKSiren(input: HlInput, cmd: number): number {
  return stateOf(cmd, payloadOf(input, cmd, 1)[0], 2);
}

// ---- K10090 / K10091 / K10092: camera time (K10090GetCameraTime, K10092SetCameraTime)

const U32_MAX = 0xffff_ffff;

/** u32 LE Unix seconds: K10092's request and K10091's reply (wyzecam reads the whole reply as one LE integer). */
export function buildKUnixTime(cmd: number, unixSeconds: number): Uint8Array {
  if (!Number.isInteger(unixSeconds) || unixSeconds < 0 || unixSeconds > U32_MAX) throw new RangeError(`K${cmd}: ${unixSeconds} is not u32 Unix seconds`);
  const p = new Uint8Array(4);
  putU32le(p, 0, unixSeconds);
  return buildHl(cmd, p);
}

export function parseKUnixTime(input: HlInput, cmd: number): number {
  return u32le(payloadOf(input, cmd, 4), 0);
}

// ---- K10302: time zone (K10302SetTimeZone)

export const TIME_ZONE_MIN = -11;
export const TIME_ZONE_MAX = 13;

export const isTimeZone = (hours: number): boolean => Number.isInteger(hours) && hours >= TIME_ZONE_MIN && hours <= TIME_ZONE_MAX;

/** [0] signed hours from UTC. */
export function buildK10302(hours: number): Uint8Array {
  if (!isTimeZone(hours)) throw new RangeError(`K10302: time zone ${hours} is not ${TIME_ZONE_MIN}..${TIME_ZONE_MAX}`);
  return buildHl(KControlCmd.SetTimeZone, Uint8Array.of(hours & 0xff));
}

export function parseK10302(input: HlInput): number {
  const b = payloadOf(input, KControlCmd.SetTimeZone, 1)[0];
  const hours = b > 127 ? b - 256 : b;
  if (!isTimeZone(hours)) throw new TutkParseError('hl', 'bad-value', `K10302 time zone ${hours}`);
  return hours;
}

// ---- K10020 / K10021: parameters by id (K10020CheckCameraParams)

/** [0] how many ids, then one byte per id. */
export function buildK10020(ids: readonly number[]): Uint8Array {
  if (ids.length === 0 || ids.length > 255 || ids.some((i) => !Number.isInteger(i) || i < 1 || i > 255)) throw new RangeError('K10020 takes 1..255 parameter ids of 1..255');
  return buildHl(KControlCmd.GetParams, Uint8Array.of(ids.length, ...ids));
}

export function parseK10020(input: HlInput): number[] {
  const p = payloadOf(input, KControlCmd.GetParams, 1);
  if (p.length < 1 + p[0]) throw new TutkParseError('hl', 'short', `K10020 lists ${p[0]} ids in ${p.length - 1} bytes`);
  return Array.from(p.subarray(1, 1 + p[0]));
}

/** JSON keyed by parameter id; wyzecam reads the values with int(), so cameras send numbers or numeric strings. */
export function buildK10021(values: Readonly<Record<number, string | number>>): Uint8Array {
  return buildHl(kReplyOf(KControlCmd.GetParams), Buffer.from(JSON.stringify(values), 'utf8'));
}

/** The parameters as strings by id; trailing NULs are tolerated as in K10003 (FACTS §9.3). */
export function parseK10021(input: HlInput): Record<string, string> {
  const p = hlOf(input, kReplyOf(KControlCmd.GetParams)).payload;
  let end = p.length;
  while (end > 0 && p[end - 1] === 0) end--;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(p.buffer, p.byteOffset, end).toString('utf8'));
  } catch (e) {
    throw new TutkParseError('hl', 'bad-json', (e as Error).message);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TutkParseError('hl', 'bad-json', 'K10021 is not a JSON object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

// ---- K10051: video parameters (K10050GetVideoParam)

export interface VideoParams {
  /** KB/s. wyzecam reads byte [0]; we read the u16 at [0-1], as K10052 writes it (FACTS §9): equal below 256. */
  bitrate: number;
  /** [2]: frame size + 1 (FACTS §9.1); 0 when the camera does not say. */
  frameSize: number;
  /** [3] */
  fps: number;
  /** [4], [5]: 1 flipped, 2 not (K10052HorizontalFlip, K10052VerticalFlip). */
  horizontalFlip: number;
  verticalFlip: number;
}

export function buildK10051(v: VideoParams): Uint8Array {
  const p = new Uint8Array(6);
  putU16le(p, 0, v.bitrate);
  p[2] = v.frameSize;
  p[3] = v.fps;
  p[4] = v.horizontalFlip;
  p[5] = v.verticalFlip;
  return buildHl(kReplyOf(KControlCmd.GetVideoParam), p);
}

export function parseK10051(input: HlInput): VideoParams {
  const p = payloadOf(input, kReplyOf(KControlCmd.GetVideoParam), 6);
  return { bitrate: u16le(p, 0), frameSize: p[2], fps: p[3], horizontalFlip: p[4], verticalFlip: p[5] };
}
