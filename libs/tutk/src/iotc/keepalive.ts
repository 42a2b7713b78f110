import { IotcCommand, IotcFlags, IotcHeader, IotcMode, expectIotc, newIotcPacket } from './header';

/** FACTS §4.6: both pings and replies are 24 bytes in samples. */
export const IOTC_KEEPALIVE_LENGTH = 24;
/** FACTS §4.6: bytes 16..23 of the ping are opaque and echoed. */
export const IOTC_KEEPALIVE_ECHO_LENGTH = 8;
const ECHO_AT = 16;

export interface IotcKeepalive {
  header: IotcHeader;
  /** View of bytes 16..23. */
  echo: Uint8Array;
}

/** Camera → client 0x0428 ping (FACTS §4.6). */
export function buildIotcKeepalivePing(echo: Uint8Array): Uint8Array {
  return keepaliveShape(IotcCommand.KeepalivePing, IotcFlags.Device, echo);
}

/** FACTS §4.6: the client answers every 0x0428 of 24 bytes or more. */
export function parseIotcKeepalivePing(p: Uint8Array): IotcKeepalive {
  const header = expectIotc(p, IotcCommand.KeepalivePing, IOTC_KEEPALIVE_LENGTH, 'keepalive ping');
  return { header, echo: p.subarray(ECHO_AT, ECHO_AT + IOTC_KEEPALIVE_ECHO_LENGTH) };
}

/** Client → camera 0x0427, echoing bytes 16..23 of the decoded ping (FACTS §4.6). */
export function buildIotcKeepaliveReply(echo: Uint8Array): Uint8Array {
  return keepaliveShape(IotcCommand.KeepaliveReply, IotcFlags.Client, echo);
}

export function parseIotcKeepaliveReply(p: Uint8Array): IotcKeepalive {
  const header = expectIotc(p, IotcCommand.KeepaliveReply, IOTC_KEEPALIVE_LENGTH, 'keepalive reply');
  return { header, echo: p.subarray(ECHO_AT, ECHO_AT + IOTC_KEEPALIVE_ECHO_LENGTH) };
}

function keepaliveShape(cmd: number, flags: number, echo: Uint8Array): Uint8Array {
  if (echo.length !== IOTC_KEEPALIVE_ECHO_LENGTH) throw new RangeError(`keepalive echo must be ${IOTC_KEEPALIVE_ECHO_LENGTH} bytes`);
  const p = newIotcPacket(IotcMode.Keepalive, cmd, flags, IOTC_KEEPALIVE_ECHO_LENGTH);
  p.set(echo, ECHO_AT);
  return p;
}
