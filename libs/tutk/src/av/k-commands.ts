import { TutkParseError } from '../wire/parse-error';
import { putU16le, u16le } from '../wire/byte-reader';
import { HL_HEADER_LENGTH, type HlInput, type HlMessage, buildHl, hlOf, hlPayload } from './hl';

/** SEED §16.3, FACTS §9. */
export const KCmd = {
  AuthRequest: 10000,
  Challenge: 10001,
  ChallengeResponse: 10002,
  AuthResult: 10003,
  ControlChannel: 10010,
  ControlChannelReply: 10011,
  SetResolutionDoorbell: 10052,
  SetResolutionDoorbellReply: 10053,
  SetResolution: 10056,
  SetResolutionReply: 10057,
} as const;

/** The reply command a request waits for. */
export const K_REPLY: Readonly<Record<number, number>> = {
  [KCmd.AuthRequest]: KCmd.Challenge,
  [KCmd.ChallengeResponse]: KCmd.AuthResult,
  [KCmd.ControlChannel]: KCmd.ControlChannelReply,
  [KCmd.SetResolutionDoorbell]: KCmd.SetResolutionDoorbellReply,
  [KCmd.SetResolution]: KCmd.SetResolutionReply,
};

const needPayload = (m: HlMessage, n: number): Uint8Array => hlPayload(m, m.cmd, n);

// ---- K10000: auth request (client -> camera)

/** go2rtc's payload: the audio codecs it can send, 137/138/140 = PCMU/PCMA/PCM (FACTS §9). */
export const K10000_DEFAULT_JSON = '{"cameraInfo":{"audioEncoderList":[137,138,140]}}';

export function buildK10000(json: string = K10000_DEFAULT_JSON): Uint8Array {
  return buildHl(KCmd.AuthRequest, Buffer.from(json, 'utf8'));
}

/** Camera side: any payload is accepted (FACTS §9: SDK clients send other JSON or nothing). */
export function parseK10000(input: HlInput): { json: string } {
  const m = hlOf(input, KCmd.AuthRequest);
  return { json: Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.length).toString('utf8') };
}

// ---- K10001: challenge (camera -> client)

export interface K10001 {
  /** [16]: which keys answer it (FACTS §9.2). */
  status: number;
  /** [17-32] (a view). */
  challenge: Uint8Array;
}

/** HL length 17, as FACTS §9 recommends for the emulator. */
export function buildK10001(f: K10001): Uint8Array {
  if (f.challenge.length !== 16) throw new RangeError('challenge must be 16 bytes');
  const payload = new Uint8Array(17);
  payload[0] = f.status;
  payload.set(f.challenge, 1);
  return buildHl(KCmd.Challenge, payload);
}

/**
 * Reads the fixed offsets from the HL start to the end of the record, whatever the length field
 * says, as go2rtc does (FACTS §9): at least 33 bytes are required.
 */
export function parseK10001(input: HlInput): K10001 {
  const m = hlOf(input, KCmd.Challenge);
  if (m.raw.length < HL_HEADER_LENGTH + 17) throw new TutkParseError('hl', 'short', `K10001 of ${m.raw.length} bytes`);
  return { status: m.raw[16], challenge: m.raw.subarray(17, 33) };
}

// ---- K10002: challenge response (client -> camera)

export interface K10002 {
  /** [16-31] */
  response: Uint8Array;
  /** [32-35]: random in go2rtc, MAC characters in SDK clients; never checked (FACTS §9). */
  sessionId: Uint8Array;
  /** [36] */
  video: boolean;
  /** [37] */
  audio: boolean;
}

export function buildK10002(f: K10002): Uint8Array {
  if (f.response.length !== 16) throw new RangeError('response must be 16 bytes');
  if (f.sessionId.length !== 4) throw new RangeError('sessionId must be 4 bytes');
  const payload = new Uint8Array(22);
  payload.set(f.response, 0);
  payload.set(f.sessionId, 16);
  payload[20] = f.video ? 1 : 0;
  payload[21] = f.audio ? 1 : 0;
  return buildHl(KCmd.ChallengeResponse, payload);
}

export function parseK10002(input: HlInput): K10002 {
  const p = needPayload(hlOf(input, KCmd.ChallengeResponse), 22);
  return { response: p.subarray(0, 16), sessionId: p.subarray(16, 20), video: p[20] === 1, audio: p[21] === 1 };
}

// ---- K10003: auth result JSON (camera -> client)

/** connectionRes values (FACTS §9.3). */
export const ConnectionRes = {
  Ok: '1',
  WrongKey: '2',
} as const;

export interface K10003 {
  /** The decoded JSON object. */
  json: Record<string, unknown>;
  /** `connectionRes` as sent, or undefined. */
  connectionRes: string | undefined;
  /** connectionRes "1" (FACTS §9.3; go2rtc does not check it, we do). */
  authenticated: boolean;
  /** connectionRes "2": ENR authentication failed. */
  wrongKey: boolean;
  /**
   * cameraInfo.channelResquestResult (the cameras' spelling), falling back to channelRequestResult;
   * undefined when neither says.
   */
  audio: boolean | undefined;
  video: boolean | undefined;
  /** cameraInfo.basicInfo, when present. */
  basicInfo: Record<string, unknown> | undefined;
}

export function buildK10003(json: Record<string, unknown>): Uint8Array {
  // The JSON ends the HL message and the record: go2rtc fails on any trailing byte (FACTS §9.3).
  return buildHl(KCmd.AuthResult, Buffer.from(JSON.stringify(json), 'utf8'));
}

export interface K10003Body {
  connectionRes: string;
  audio?: boolean;
  video?: boolean;
  basicInfo?: Record<string, string>;
  videoParm?: Record<string, string>;
  audioParm?: Record<string, string>;
}

/** The JSON shape real cameras send, including the misspelled key (FACTS §9.3). */
export function k10003Json(b: K10003Body): Record<string, unknown> {
  const flag = (v: boolean | undefined) => (v === false ? '0' : '1');
  const cameraInfo: Record<string, unknown> = {};
  if (b.basicInfo) cameraInfo.basicInfo = b.basicInfo;
  cameraInfo.channelResquestResult = { audio: flag(b.audio), video: flag(b.video) };
  if (b.videoParm) cameraInfo.videoParm = b.videoParm;
  if (b.audioParm) cameraInfo.audioParm = b.audioParm;
  return { connectionRes: b.connectionRes, cameraInfo };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flagOf(v: unknown): boolean | undefined {
  if (v === '1' || v === 1) return true;
  if (v === '0' || v === 0) return false;
  return undefined;
}

/** Parses exactly `length` bytes of JSON, tolerating trailing NULs and whitespace (FACTS §9.3). */
export function parseK10003(input: HlInput): K10003 {
  const m = hlOf(input, KCmd.AuthResult);
  if (m.length === 0) throw new TutkParseError('hl', 'empty', 'K10003 without JSON');
  let end = m.payload.length;
  while (end > 0 && m.payload[end - 1] === 0) end--;
  const text = Buffer.from(m.payload.buffer, m.payload.byteOffset, end).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TutkParseError('hl', 'bad-json', (e as Error).message);
  }
  if (!isObject(json)) throw new TutkParseError('hl', 'bad-json', 'K10003 is not a JSON object');
  const res = json.connectionRes;
  const connectionRes = typeof res === 'string' ? res : typeof res === 'number' ? String(res) : undefined;
  const cameraInfo = isObject(json.cameraInfo) ? json.cameraInfo : undefined;
  const channels = cameraInfo ? (isObject(cameraInfo.channelResquestResult) ? cameraInfo.channelResquestResult : isObject(cameraInfo.channelRequestResult) ? cameraInfo.channelRequestResult : undefined) : undefined;
  return {
    json,
    connectionRes,
    authenticated: connectionRes === ConnectionRes.Ok,
    wrongKey: connectionRes === ConnectionRes.WrongKey,
    audio: channels ? flagOf(channels.audio) : undefined,
    video: channels ? flagOf(channels.video) : undefined,
    basicInfo: cameraInfo && isObject(cameraInfo.basicInfo) ? cameraInfo.basicInfo : undefined,
  };
}

// ---- K10010 / K10011: start or stop one media (FACTS §9, §11.1)

/** K10010 [16] (SEED §8). */
export const KMedia = {
  Video: 1,
  Audio: 2,
  /** Intercom: audio to the camera over the channel-1 backchannel. */
  ReturnAudio: 3,
  Rdt: 4,
} as const;

export interface K10010 {
  media: number;
  /** [17]: 1 enable, 2 disable. */
  enable: boolean;
}

export function buildK10010(f: K10010): Uint8Array {
  return buildHl(KCmd.ControlChannel, Uint8Array.of(f.media, f.enable ? 1 : 2));
}

export function parseK10010(input: HlInput): K10010 {
  const p = needPayload(hlOf(input, KCmd.ControlChannel), 2);
  if (p[1] !== 1 && p[1] !== 2) throw new TutkParseError('hl', 'bad-value', `K10010 enable byte ${p[1]}`);
  return { media: p[0], enable: p[1] === 1 };
}

/** The camera's one-byte `01` answer used for K10011, K10053 and K10057 (FACTS §9, INFERRED). */
export function buildKReply(cmd: number, result = 1): Uint8Array {
  return buildHl(cmd, Uint8Array.of(result));
}

/** A K10011/K10053/K10057 reply: the client checks only the command (FACTS §14.1). */
export function parseKReply(input: HlInput, cmd: number): { result: number | undefined } {
  const m = hlOf(input, cmd);
  return { result: m.payload.length > 0 ? m.payload[0] : undefined };
}

// ---- K10056 / K10052: resolution (FACTS §9, §9.1)

export interface ResolutionRequest {
  /** Frame-size constant before the +1: 0 1080P, 1 360P, 2 720P, 3 2K, 4 floodlight (FACTS §9.1). */
  frameSize: number;
  /** KB/s: 240 for HD, 60 for SD. */
  bitrate: number;
  /** 0 = automatic. */
  fps: number;
}

export function buildK10056(f: ResolutionRequest): Uint8Array {
  const p = new Uint8Array(5);
  p[0] = f.frameSize + 1;
  putU16le(p, 1, f.bitrate);
  putU16le(p, 3, f.fps);
  return buildHl(KCmd.SetResolution, p);
}

/** Camera side: the 5-byte form, or the 3-byte form SDK clients send (one-byte bitrate and fps). */
export function parseK10056(input: HlInput): ResolutionRequest {
  const p = needPayload(hlOf(input, KCmd.SetResolution), 3);
  if (p[0] === 0) throw new TutkParseError('hl', 'bad-value', 'K10056 frame size 0');
  if (p.length < 5) return { frameSize: p[0] - 1, bitrate: p[1], fps: p[2] };
  return { frameSize: p[0] - 1, bitrate: u16le(p, 1), fps: u16le(p, 3) };
}

export function buildK10052(f: ResolutionRequest): Uint8Array {
  const p = new Uint8Array(6);
  putU16le(p, 0, f.bitrate);
  p[2] = f.frameSize + 1;
  p[3] = f.fps;
  return buildHl(KCmd.SetResolutionDoorbell, p);
}

export function parseK10052(input: HlInput): ResolutionRequest {
  const p = needPayload(hlOf(input, KCmd.SetResolutionDoorbell), 4);
  if (p[2] === 0) throw new TutkParseError('hl', 'bad-value', 'K10052 frame size 0');
  return { frameSize: p[2] - 1, bitrate: u16le(p, 0), fps: p[3] };
}
