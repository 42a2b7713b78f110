import { putU32le, u32le } from '../wire/byte-reader';
import { AUTH_KEY_LENGTH, UID_LENGTH } from '../credentials/credentials';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { IOTC_HEADER_LENGTH, IotcCommand, IotcFlags, IotcHeader, IotcMode, expectIotc, newIotcPacket } from './header';

/** FACTS §4.2: the 0x0601 request is 88 bytes. */
export const IOTC_DISCO_LENGTH = 88;
/** FACTS §4.2: `01 01 02 04` = SDK 4.2.1.1. */
export const IOTC_DISCO_SDK_VERSION = 0x04020101;

const UID_AT = 16;
const SDK_AT = 52;
const SID_AT = 56;
const STAGE_AT = 64;
const AUTH_KEY_AT = 74;

export type DiscoStage = 1 | 2;

export interface DiscoRequestFields {
  /** 20-byte zero-padded UID field. */
  uid: Uint8Array;
  sid: Uint8Array;
  /** 1 = first probe, 2 = "direct" confirmation after the camera answered. */
  stage: DiscoStage;
  /** 8 ASCII bytes, sent in stage 1 only (FACTS §4.2); ignored for stage 2. */
  authKey?: Uint8Array;
}

export interface DiscoRequest {
  header: IotcHeader;
  /** Views into the packet, not copies. */
  uid: Uint8Array;
  sdkVersion: number;
  sid: Uint8Array;
  stage: number;
  authKey: Uint8Array;
}

/** Client → camera 0x0601, plaintext (FACTS §4.2). */
export function buildDiscoRequest(f: DiscoRequestFields): Uint8Array {
  const p = discoShape(IotcCommand.DiscoRequest, IotcFlags.Client, f.uid, f.sid, f.stage);
  if (f.stage === 1 && f.authKey) {
    if (f.authKey.length !== AUTH_KEY_LENGTH) throw new RangeError(`auth key must be ${AUTH_KEY_LENGTH} bytes`);
    p.set(f.authKey, AUTH_KEY_AT);
  }
  return p;
}

export function parseDiscoRequest(p: Uint8Array): DiscoRequest {
  const header = expectIotc(p, IotcCommand.DiscoRequest, IOTC_DISCO_LENGTH, 'disco request');
  return {
    header,
    uid: p.subarray(UID_AT, UID_AT + UID_LENGTH),
    sdkVersion: u32le(p, SDK_AT),
    sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH),
    stage: p[STAGE_AT],
    authKey: p.subarray(AUTH_KEY_AT, AUTH_KEY_AT + AUTH_KEY_LENGTH),
  };
}

export interface DiscoReply {
  header: IotcHeader;
  /** Present only when the reply is long enough to carry the request's layout (ours is). */
  uid?: Uint8Array;
  sid?: Uint8Array;
  stage?: number;
}

/**
 * Camera → client 0x0602 (FACTS §4.4, INFERRED): the request's shape with cmd 0x0602, flags 0x0012 and
 * no AuthKey. Real cameras send a longer packet; the client needs only the command.
 */
export function buildDiscoReply(f: { uid: Uint8Array; sid: Uint8Array; stage: number }): Uint8Array {
  return discoShape(IotcCommand.DiscoReply, IotcFlags.Device, f.uid, f.sid, f.stage);
}

/** Accepts any length from 16 bytes on (FACTS §4.3: the client checks the command only). */
export function parseDiscoReply(p: Uint8Array): DiscoReply {
  const header = expectIotc(p, IotcCommand.DiscoReply, IOTC_HEADER_LENGTH, 'disco reply');
  if (p.length <= STAGE_AT) return { header };
  return { header, uid: p.subarray(UID_AT, UID_AT + UID_LENGTH), sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH), stage: p[STAGE_AT] };
}

function discoShape(cmd: number, flags: number, uid: Uint8Array, sid: Uint8Array, stage: number): Uint8Array {
  if (uid.length !== UID_LENGTH) throw new RangeError(`uid field must be ${UID_LENGTH} bytes`);
  assertSessionId(sid);
  const p = newIotcPacket(IotcMode.Handshake, cmd, flags, IOTC_DISCO_LENGTH - IOTC_HEADER_LENGTH);
  p.set(uid, UID_AT);
  putU32le(p, SDK_AT, IOTC_DISCO_SDK_VERSION);
  p.set(sid, SID_AT);
  p[STAGE_AT] = stage;
  return p;
}
