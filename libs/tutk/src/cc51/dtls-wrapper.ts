import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { CC51_HMAC_LENGTH, Cc51Command, Cc51Header, Cc51Signer, expectCc51, newCc51Packet } from './header';

/** FACTS §5.4: DTLS bytes start at 28; the HMAC covers only these 28 header bytes. */
export const CC51_DTLS_HEADER_LENGTH = 28;
/** FACTS §5.4: the smallest wrapper accepted on receive. */
export const CC51_DTLS_MIN_LENGTH = CC51_DTLS_HEADER_LENGTH + CC51_HMAC_LENGTH;
const MARKER = 0x10;
const SID_AT = 16;

export interface Cc51DtlsFields {
  /** Byte 13 (FACTS §5.4): 0 main, 1 backchannel. */
  channel: number;
  ticket: number;
  sid: Uint8Array;
  /** One or more DTLS records. */
  dtls: Uint8Array;
}

export interface Cc51Dtls {
  header: Cc51Header;
  /** [12], 0x10 in every packet seen. */
  marker: number;
  channel: number;
  ticket: number;
  /** [24-27], always 1 (FACTS §5.4). */
  constant: number;
  /** Views into the packet, not copies. */
  sid: Uint8Array;
  dtls: Uint8Array;
}

/** 0x1502 (FACTS §5.4): one allocation, the DTLS bytes copied once, HMAC of the header appended. */
export function buildCc51Dtls(f: Cc51DtlsFields, signer: Cc51Signer): Uint8Array {
  assertSessionId(f.sid);
  if (f.channel < 0 || f.channel > 0xff) throw new RangeError(`channel out of range: ${f.channel}`);
  const end = CC51_DTLS_HEADER_LENGTH + f.dtls.length;
  const p = newCc51Packet(Cc51Command.Dtls, end + CC51_HMAC_LENGTH);
  p[12] = MARKER;
  p[13] = f.channel;
  putU16le(p, 14, f.ticket);
  p.set(f.sid, SID_AT);
  putU32le(p, 24, 1);
  p.set(f.dtls, CC51_DTLS_HEADER_LENGTH);
  signer.sign(p, CC51_DTLS_HEADER_LENGTH, end);
  return p;
}

/**
 * Any 0x1502 of at least 48 bytes (FACTS §5.4); the DTLS bytes are [28, length − 20) of the datagram.
 * With a signer, a wrong HMAC throws TutkParseError reason 'bad-hmac'.
 */
export function parseCc51Dtls(p: Uint8Array, signer?: Cc51Signer): Cc51Dtls {
  const header = expectCc51(p, Cc51Command.Dtls, CC51_DTLS_MIN_LENGTH, 'dtls wrapper');
  const end = p.length - CC51_HMAC_LENGTH;
  signer?.verify(p, CC51_DTLS_HEADER_LENGTH, end);
  return {
    header,
    marker: p[12],
    channel: p[13],
    ticket: u16le(p, 14),
    constant: u32le(p, 24),
    sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH),
    dtls: p.subarray(CC51_DTLS_HEADER_LENGTH, end),
  };
}
