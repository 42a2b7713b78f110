import { TutkParseError } from '../wire/parse-error';
import { putU16le, u16le } from '../wire/byte-reader';

/** FACTS §4.1. */
export const IOTC_HEADER_LENGTH = 16;
/** FACTS §4.1: the client always sends protocol version 26; cameras send their own (ignored here). */
export const IOTC_VERSION = 0x1a;

/** Command at [8-9] (FACTS §4, SEED §16.1). */
export const IotcCommand = {
  SessionRequest: 0x0402,
  SessionReply: 0x0404,
  DataFromClient: 0x0407,
  DataFromDevice: 0x0408,
  KeepaliveReply: 0x0427,
  KeepalivePing: 0x0428,
  DiscoRequest: 0x0601,
  DiscoReply: 0x0602,
} as const;

/** Mode byte [3]; bit 0 selects the TransCode partial rule (FACTS §4.1, §3.2). */
export const IotcMode = {
  Handshake: 0x02,
  Keepalive: 0x0a,
  Data: 0x0b,
} as const;

/** Direction/flags [10-11]: low byte 0x21 from the client, 0x12 from the camera (FACTS §4.1). */
export const IotcFlags = {
  Client: 0x0021,
  ClientSession: 0x0033,
  Device: 0x0012,
} as const;

export interface IotcHeader {
  /** [2] the sender's IOTC version. */
  version: number;
  /** [3] */
  mode: number;
  /** [4-5] as sent; never trusted for bounds (go2rtc ignores it too). */
  bodyLength: number;
  /** [6-7] */
  seq: number;
  /** [8-9] */
  cmd: number;
  /** [10-11] */
  flags: number;
}

/**
 * Allocates a zeroed plaintext packet of 16 + bodyLength bytes and writes the header; bytes 12-15
 * stay zero (only data packets use them, FACTS §4.5).
 */
export function newIotcPacket(mode: number, cmd: number, flags: number, bodyLength: number, seq = 0): Uint8Array {
  const p = new Uint8Array(IOTC_HEADER_LENGTH + bodyLength);
  p[0] = 0x04; // magic
  p[1] = 0x02;
  p[2] = IOTC_VERSION;
  p[3] = mode;
  putU16le(p, 4, bodyLength);
  putU16le(p, 6, seq & 0xffff);
  putU16le(p, 8, cmd);
  putU16le(p, 10, flags);
  return p;
}

/** Reads the header of a plaintext (already decoded) packet. */
export function readIotcHeader(p: Uint8Array): IotcHeader {
  if (p.length < IOTC_HEADER_LENGTH) throw new TutkParseError('iotc', 'short', `header: ${p.length} bytes`);
  if (p[0] !== 0x04 || p[1] !== 0x02) throw new TutkParseError('iotc', 'bad-magic', `${p[0]} ${p[1]}`);
  return { version: p[2], mode: p[3], bodyLength: u16le(p, 4), seq: u16le(p, 6), cmd: u16le(p, 8), flags: u16le(p, 10) };
}

/** Reads the header and insists on a command and a minimum packet length. */
export function expectIotc(p: Uint8Array, cmd: number, minLength: number, what: string): IotcHeader {
  const h = readIotcHeader(p);
  if (h.cmd !== cmd) throw new TutkParseError('iotc', 'unexpected-command', `${what}: got 0x${h.cmd.toString(16)}`);
  if (p.length < minLength) throw new TutkParseError('iotc', 'short', `${what}: ${p.length} < ${minLength} bytes`);
  return h;
}
