import { concatBytes } from '@wyze-nvr/bytes';
import { asciiBytes, putU16be } from '../wire/byte-reader';
import { VERIFY_DATA_LENGTH } from './constants';
import type { DtlsCrypto } from './crypto/dtls-crypto';

const LABEL_MASTER = asciiBytes('master secret');
const LABEL_KEY_EXPANSION = asciiBytes('key expansion');
const LABEL_CLIENT_FINISHED = asciiBytes('client finished');
const LABEL_SERVER_FINISHED = asciiBytes('server finished');

/** TLS 1.2 PRF = P_SHA256(secret, label ‖ seed) (RFC 5246 §5). */
export function tls12Prf(crypto: DtlsCrypto, secret: Uint8Array, label: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concatBytes(label, seed);
  const out = new Uint8Array(length);
  let a = labelSeed; // A(0)
  for (let off = 0; off < length; ) {
    a = crypto.hmacSha256(secret, a);
    const block = crypto.hmacSha256(secret, a, labelSeed);
    const n = Math.min(block.length, length - off);
    out.set(block.subarray(0, n), off);
    off += n;
  }
  return out;
}

/** master_secret = PRF(pre_master_secret, "master secret", client_random ‖ server_random)[0..47] (RFC 5246 §8.1). */
export function masterSecret(crypto: DtlsCrypto, premaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
  return tls12Prf(crypto, premaster, LABEL_MASTER, concatBytes(clientRandom, serverRandom), 48);
}

/** key_block = PRF(master, "key expansion", server_random ‖ client_random) (RFC 5246 §6.3). */
export function keyBlock(crypto: DtlsCrypto, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, length: number): Uint8Array {
  return tls12Prf(crypto, master, LABEL_KEY_EXPANSION, concatBytes(serverRandom, clientRandom), length);
}

/** verify_data = PRF(master, finished_label, SHA-256(handshake_messages))[0..11] (RFC 5246 §7.4.9). */
export function finishedVerifyData(crypto: DtlsCrypto, master: Uint8Array, role: 'client' | 'server', handshakeHash: Uint8Array): Uint8Array {
  return tls12Prf(crypto, master, role === 'client' ? LABEL_CLIENT_FINISHED : LABEL_SERVER_FINISHED, handshakeHash, VERIFY_DATA_LENGTH);
}

/**
 * PSK premaster secret: u16(N) ‖ other_secret ‖ u16(len psk) ‖ psk. For plain PSK the other secret is N zero
 * bytes with N = len(psk) (RFC 4279 §2); for ECDHE_PSK it is the ECDH shared secret (RFC 5489 §2).
 */
export function pskPremaster(psk: Uint8Array, otherSecret?: Uint8Array): Uint8Array {
  const other = otherSecret ?? new Uint8Array(psk.length);
  const out = new Uint8Array(4 + other.length + psk.length);
  putU16be(out, 0, other.length);
  out.set(other, 2);
  putU16be(out, 2 + other.length, psk.length);
  out.set(psk, 4 + other.length);
  return out;
}
