import { putU32le, u32le } from '../wire/byte-reader';
import { UID_LENGTH } from '../credentials/credentials';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { IOTC_HEADER_LENGTH, IotcCommand, IotcFlags, IotcHeader, IotcMode, expectIotc, newIotcPacket } from './header';

/** FACTS §4.3: the 0x0402 request is 52 bytes. */
export const IOTC_SESSION_LENGTH = 52;

const UID_AT = 16;
const SID_AT = 36;
const TIME_AT = 48;

export interface IotcSessionFields {
  /** 20-byte zero-padded UID field. */
  uid: Uint8Array;
  sid: Uint8Array;
  /** Unix time in seconds. */
  timestamp: number;
}

export interface IotcSessionRequest {
  header: IotcHeader;
  /** Views into the packet, not copies. */
  uid: Uint8Array;
  sid: Uint8Array;
  timestamp: number;
}

export interface IotcSessionReply {
  header: IotcHeader;
  /** Present when the reply has the request's layout (FACTS §16 item 5: real layouts unknown). */
  uid?: Uint8Array;
  sid?: Uint8Array;
  timestamp?: number;
}

/** Client → camera 0x0402, plaintext. Mode 0x02 and flags 0x0033 as go2rtc sends it (FACTS §4.1). */
export function buildIotcSessionRequest(f: IotcSessionFields): Uint8Array {
  return sessionShape(IotcCommand.SessionRequest, IotcFlags.ClientSession, f);
}

export function parseIotcSessionRequest(p: Uint8Array): IotcSessionRequest {
  const header = expectIotc(p, IotcCommand.SessionRequest, IOTC_SESSION_LENGTH, 'session request');
  return { header, ...sessionFields(p) };
}

/** Camera → client 0x0404 (FACTS §4.4, INFERRED): the request's layout with flags 0x0012. */
export function buildIotcSessionReply(f: IotcSessionFields): Uint8Array {
  return sessionShape(IotcCommand.SessionReply, IotcFlags.Device, f);
}

/** Accepts any length from 16 bytes on: the client waits for the command only (FACTS §4.3). */
export function parseIotcSessionReply(p: Uint8Array): IotcSessionReply {
  const header = expectIotc(p, IotcCommand.SessionReply, IOTC_HEADER_LENGTH, 'session reply');
  return p.length < IOTC_SESSION_LENGTH ? { header } : { header, ...sessionFields(p) };
}

function sessionFields(p: Uint8Array): Omit<IotcSessionRequest, 'header'> {
  return { uid: p.subarray(UID_AT, UID_AT + UID_LENGTH), sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH), timestamp: u32le(p, TIME_AT) };
}

function sessionShape(cmd: number, flags: number, f: IotcSessionFields): Uint8Array {
  if (f.uid.length !== UID_LENGTH) throw new RangeError(`uid field must be ${UID_LENGTH} bytes`);
  assertSessionId(f.sid);
  const p = newIotcPacket(IotcMode.Handshake, cmd, flags, IOTC_SESSION_LENGTH - IOTC_HEADER_LENGTH);
  p.set(f.uid, UID_AT);
  p.set(f.sid, SID_AT);
  putU32le(p, TIME_AT, f.timestamp >>> 0);
  return p;
}
