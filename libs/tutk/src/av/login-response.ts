import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le } from '../wire/byte-reader';
import { AV_CAPABILITIES, AV_VERSION, AvMagic } from './constants';

/** FACTS §8.2: the 60-byte form go2rtc sends as backchannel server. */
export const AV_LOGIN_RESPONSE_LENGTH = 60;
/** go2rtc accepts any 0x2100 record of at least this many bytes (FACTS §8.2, §14.1). */
export const AV_LOGIN_RESPONSE_MIN = 32;
/** [4] in a successful answer. */
export const AV_LOGIN_OK = 0x10;

export interface AvLoginResponse {
  /** [4]; 0x10 is success. go2rtc does not check it. */
  result: number;
  /** [20-23], the login's random id echoed back (a view). */
  echo: Uint8Array;
  /** [31] == 1 exactly (FACTS §8.2). */
  twoWayAudio: boolean;
}

export function buildAvLoginResponse(echo: Uint8Array, twoWayAudio: boolean): Uint8Array {
  if (echo.length !== 4) throw new RangeError('echo must be 4 bytes');
  const p = new Uint8Array(AV_LOGIN_RESPONSE_LENGTH);
  putU16le(p, 0, AvMagic.LoginResponse);
  putU16le(p, 2, AV_VERSION);
  p[4] = AV_LOGIN_OK;
  putU32le(p, 16, 0x24);
  p.set(echo, 20);
  p[29] = 1;
  p[31] = twoWayAudio ? 1 : 0;
  putU32le(p, 36, 4);
  putU32le(p, 40, AV_CAPABILITIES);
  putU16le(p, 54, 3);
  putU16le(p, 56, 2);
  return p;
}

/** Reads only what go2rtc relies on: the magic, the minimum length, [31]; plus [4] and the echo. */
export function parseAvLoginResponse(b: Uint8Array): AvLoginResponse {
  if (b.length < AV_LOGIN_RESPONSE_MIN) throw new TutkParseError('av', 'short', `login response of ${b.length} bytes`);
  const magic = u16le(b, 0);
  if (magic !== AvMagic.LoginResponse) throw new TutkParseError('av', 'bad-magic', `login response 0x${magic.toString(16)}`);
  return { result: b[4], echo: b.subarray(20, 24), twoWayAudio: b[31] === 1 };
}
