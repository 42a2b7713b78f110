import { putU16le, u16le } from '../wire/byte-reader';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { Cc51Command, Cc51Header, Cc51Signer, expectCc51, newCc51Packet } from './header';

/** FACTS §5.2: 52 bytes, HMAC over 0..31 at 32..51. */
export const CC51_DISCOVERY_LENGTH = 52;
const SIGNED = 32;

/** [8-9] (FACTS §5.2). */
export const Cc51Direction = {
  FromClient: 0x0000,
  FromDevice: 0xffff,
} as const;

/** [24-31]: SDK `00 08 03 04` (4.3.8.0), `1d`, zeros (FACTS §5.2). */
const DEFAULT_INFO = Uint8Array.of(0x00, 0x08, 0x03, 0x04, 0x1d, 0x00, 0x00, 0x00);
const INFO_AT = 24;
const INFO_LENGTH = 8;
const SID_AT = 16;

export interface Cc51DiscoveryFields {
  direction: number;
  /** 0 client probe, 1 camera reply, 2 client confirmation, 3 camera acknowledgement. */
  seq: number;
  ticket: number;
  sid: Uint8Array;
  /** Bytes 24..31; the camera copies the client's (FACTS §5.2). Defaults to the client's constant. */
  info?: Uint8Array;
}

export interface Cc51Discovery {
  header: Cc51Header;
  direction: number;
  seq: number;
  ticket: number;
  /** Views into the packet, not copies. */
  sid: Uint8Array;
  info: Uint8Array;
}

export function buildCc51Discovery(f: Cc51DiscoveryFields, signer: Cc51Signer): Uint8Array {
  assertSessionId(f.sid);
  const info = f.info ?? DEFAULT_INFO;
  if (info.length !== INFO_LENGTH) throw new RangeError(`discovery info must be ${INFO_LENGTH} bytes`);
  const p = newCc51Packet(Cc51Command.Discovery, CC51_DISCOVERY_LENGTH);
  putU16le(p, 8, f.direction);
  putU16le(p, 12, f.seq);
  putU16le(p, 14, f.ticket);
  p.set(f.sid, SID_AT);
  p.set(info, INFO_AT);
  signer.sign(p, SIGNED, SIGNED);
  return p;
}

/** FACTS §5.2: at least 52 bytes; the HMAC is checked when a signer is given. */
export function parseCc51Discovery(p: Uint8Array, signer?: Cc51Signer): Cc51Discovery {
  const header = expectCc51(p, Cc51Command.Discovery, CC51_DISCOVERY_LENGTH, 'discovery');
  signer?.verify(p, SIGNED, SIGNED);
  return {
    header,
    direction: u16le(p, 8),
    seq: u16le(p, 12),
    ticket: u16le(p, 14),
    sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH),
    info: p.subarray(INFO_AT, INFO_AT + INFO_LENGTH),
  };
}
