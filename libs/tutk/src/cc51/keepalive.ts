import { putU32le, u32le } from '../wire/byte-reader';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { Cc51Command, Cc51Header, Cc51Signer, expectCc51, newCc51Packet } from './header';

/** FACTS §5.3: 48 bytes, HMAC over 0..27 at 28..47. */
export const CC51_KEEPALIVE_LENGTH = 48;
const SIGNED = 28;
const COUNTER_AT = 16;
const SID_AT = 20;

export interface Cc51Keepalive {
  header: Cc51Header;
  counter: number;
  /** View into the packet. */
  sid: Uint8Array;
}

export function buildCc51Keepalive(f: { counter: number; sid: Uint8Array }, signer: Cc51Signer): Uint8Array {
  assertSessionId(f.sid);
  const p = newCc51Packet(Cc51Command.Keepalive, CC51_KEEPALIVE_LENGTH);
  putU32le(p, COUNTER_AT, f.counter >>> 0);
  p.set(f.sid, SID_AT);
  signer.sign(p, SIGNED, SIGNED);
  return p;
}

/** FACTS §5.3: at least 48 bytes; the HMAC is checked when a signer is given. */
export function parseCc51Keepalive(p: Uint8Array, signer?: Cc51Signer): Cc51Keepalive {
  const header = expectCc51(p, Cc51Command.Keepalive, CC51_KEEPALIVE_LENGTH, 'keepalive');
  signer?.verify(p, SIGNED, SIGNED);
  return { header, counter: u32le(p, COUNTER_AT), sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH) };
}
