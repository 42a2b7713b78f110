import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { AV_CAPABILITIES, AV_SECURITY_MODE, AV_VERSION, AvMagic } from './constants';

/** FACTS §8.2: #1 is 570 bytes, #2 the same fields plus two trailing zero bytes. */
export const AV_LOGIN1_LENGTH = 570;
export const AV_LOGIN2_LENGTH = 572;
const NAME_FIELD = 256;
const USER_OFFSET = 24;
const PASSWORD_OFFSET = 280;

export interface AvLoginFields {
  /** "admin" for Wyze (FACTS §13). */
  username?: string;
  /** The camera's ENR (FACTS §13). */
  password: string;
  /** [20-23] of login #1; login #2 carries it with byte 0 incremented (FACTS §8.2). */
  randomId: Uint8Array;
  /** [536-539]; go2rtc always asks for 0, the direct media format (FACTS §10.1). */
  resend?: 0 | 1;
  /** [540-543]; see AV_SECURITY_MODE. */
  securityMode?: number;
  /** [552-555] */
  capabilities?: number;
}

export interface AvLogin {
  /** 1 for magic 0x0000, 2 for magic 0x2000. */
  form: 1 | 2;
  /** [18-19]: 1 on #1, 0 on #2. */
  flags: number;
  /** [20-23] as sent (a view into the record). */
  randomId: Uint8Array;
  username: string;
  password: string;
  resend: number;
  securityMode: number;
  capabilities: number;
}

function putName(p: Uint8Array, offset: number, value: string, what: string): void {
  const bytes = Buffer.from(value, 'latin1');
  // One byte is kept for the terminating NUL.
  if (bytes.length >= NAME_FIELD) throw new RangeError(`${what} longer than ${NAME_FIELD - 1} bytes`);
  p.set(bytes, offset);
}

export function buildAvLogin(form: 1 | 2, f: AvLoginFields): Uint8Array {
  if (f.randomId.length !== 4) throw new RangeError('randomId must be 4 bytes');
  const len = form === 1 ? AV_LOGIN1_LENGTH : AV_LOGIN2_LENGTH;
  const p = new Uint8Array(len);
  putU16le(p, 0, form === 1 ? AvMagic.Login1 : AvMagic.Login2);
  putU16le(p, 2, AV_VERSION);
  putU16le(p, 16, len - 24);
  putU16le(p, 18, form === 1 ? 1 : 0);
  p.set(f.randomId, 20);
  // FACTS §8.2: only byte 20 changes on #2, with an 8-bit wrap and no carry.
  if (form === 2) p[20] = (p[20] + 1) & 0xff;
  putName(p, USER_OFFSET, f.username ?? 'admin', 'username');
  putName(p, PASSWORD_OFFSET, f.password, 'password');
  putU32le(p, 536, f.resend ?? 0);
  putU32le(p, 540, f.securityMode ?? AV_SECURITY_MODE);
  putU32le(p, 552, f.capabilities ?? AV_CAPABILITIES);
  return p;
}

/** Both login records, in the order go2rtc sends them (#1, then #2 10 ms later). */
export function buildAvLoginPair(f: AvLoginFields): [Uint8Array, Uint8Array] {
  return [buildAvLogin(1, f), buildAvLogin(2, f)];
}

function readName(b: Uint8Array, offset: number): string {
  const field = b.subarray(offset, offset + NAME_FIELD);
  const nul = field.indexOf(0);
  return Buffer.from(field.buffer, field.byteOffset, nul < 0 ? NAME_FIELD : nul).toString('latin1');
}

/**
 * Camera side: parses either login record. Requires the full length for its form and a [16-17] that
 * agrees with it; accepts any security mode (FACTS §8.2 says the emulator should take 2 or 4).
 */
export function parseAvLogin(b: Uint8Array): AvLogin {
  if (b.length < 2) throw new TutkParseError('av', 'short', 'login');
  const magic = u16le(b, 0);
  if (magic !== AvMagic.Login1 && magic !== AvMagic.Login2) throw new TutkParseError('av', 'bad-magic', `login 0x${magic.toString(16)}`);
  const form = magic === AvMagic.Login1 ? 1 : 2;
  const need = form === 1 ? AV_LOGIN1_LENGTH : AV_LOGIN2_LENGTH;
  if (b.length < need) throw new TutkParseError('av', 'short', `login #${form}: ${b.length} < ${need}`);
  const declared = u16le(b, 16);
  if (declared !== b.length - 24) throw new TutkParseError('av', 'bad-length', `login #${form} says ${declared}, record has ${b.length - 24}`);
  return {
    form,
    flags: u16le(b, 18),
    randomId: b.subarray(20, 24),
    username: readName(b, USER_OFFSET),
    password: readName(b, PASSWORD_OFFSET),
    resend: u32le(b, 536),
    securityMode: u32le(b, 540),
    capabilities: u32le(b, 552),
  };
}

/** FACTS §11.1: on channel 1 the client accepts any record of 24..1024 bytes as the camera's login. */
export const BACKCHANNEL_LOGIN_MIN = 24;
export const BACKCHANNEL_LOGIN_MAX = 1024;

/**
 * Client side of the backchannel: the 4 bytes to echo from whatever the camera sent as its login.
 * Nothing else is checked, because the camera's layout there is unknown (FACTS §11.1, §16 item 11).
 */
export function backchannelLoginEcho(b: Uint8Array): Uint8Array {
  if (b.length < BACKCHANNEL_LOGIN_MIN) throw new TutkParseError('av', 'short', `backchannel login of ${b.length} bytes`);
  if (b.length > BACKCHANNEL_LOGIN_MAX) throw new TutkParseError('av', 'too-long', `backchannel login of ${b.length} bytes`);
  return b.subarray(20, 24);
}
