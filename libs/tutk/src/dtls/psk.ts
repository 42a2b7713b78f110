import { asciiBytes } from '../wire/byte-reader';
import type { DtlsCrypto } from './crypto/dtls-crypto';
import { nodeCrypto } from './crypto/node-crypto';

/** The identity go2rtc sends and uses as its hint (FACTS §7.1). */
export const WYZE_PSK_IDENTITY = 'AUTHPWD_admin';
export const WYZE_PSK_LENGTH = 32;

export interface WyzePsk {
  sha256: Uint8Array;
  /** Index of the first zero byte of the hash, 32 if none: the length the TUTK SDK sees as a C string. */
  effectiveLength: number;
  /** Always 32 bytes: the hash up to the first zero, then zeros (FACTS §7.1). */
  psk: Uint8Array;
}

export function wyzePskFromEnr(enr: string, crypto: DtlsCrypto = nodeCrypto): WyzePsk {
  const sha256 = crypto.sha256(asciiBytes(enr));
  let effectiveLength = sha256.indexOf(0);
  if (effectiveLength < 0) effectiveLength = sha256.length;
  const psk = new Uint8Array(WYZE_PSK_LENGTH);
  psk.set(sha256.subarray(0, effectiveLength));
  return { sha256, effectiveLength, psk };
}
