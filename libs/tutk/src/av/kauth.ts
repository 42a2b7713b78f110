import { timingSafeEqual } from 'node:crypto';
import { xxteaDecrypt, xxteaEncrypt } from '../xxtea/xxtea';

/**
 * K10001 status byte (FACTS §9.2). Only 1, 3 and 6 can be answered; the others are the camera telling
 * us why it will not authenticate right now (SDK tools' meanings).
 */
export const KAuthStatus = {
  DefaultKey: 1,
  Updating: 2,
  EnrKey: 3,
  CheckingEnr: 4,
  CameraOff: 5,
  DoubleEnrKey: 6,
} as const;

export const KAUTH_CHALLENGE_LENGTH = 16;

/** Status 1 key: ASCII "FFFFFFFFFFFFFFFF", not 0xFF bytes (FACTS §9.2, DISAGREE with the seed). */
const DEFAULT_KEY: Uint8Array = new Uint8Array(16).fill(0x46);

/** Raised for a K10001 status the client cannot answer (2, 4, 5, or anything unknown). */
export class KAuthStatusError extends Error {
  constructor(readonly status: number) {
    super(`camera refused K-auth with status ${status}${statusMeaning(status) ? ` (${statusMeaning(status)})` : ''}`);
    this.name = 'KAuthStatusError';
  }
}

function statusMeaning(status: number): string | undefined {
  switch (status) {
    case KAuthStatus.Updating:
      return 'camera updating';
    case KAuthStatus.CheckingEnr:
      return 'camera checking its ENR';
    case KAuthStatus.CameraOff:
      return 'camera off';
    default:
      return undefined;
  }
}

/** ENR[from..from+16] as ASCII, zero-padded to 16 bytes. */
function enrSlice(enr: string, from: number): Uint8Array {
  const key = new Uint8Array(16);
  const bytes = Buffer.from(enr, 'latin1');
  key.set(bytes.subarray(from, Math.min(from + 16, bytes.length)));
  return key;
}

/**
 * The XXTEA keys for a status, in the order the client decrypts with them (FACTS §9.2, including
 * go2rtc's handling of ENRs shorter than 32 characters for status 6).
 */
export function kauthKeys(enr: string, status: number): Uint8Array[] {
  const len = Buffer.byteLength(enr, 'latin1');
  switch (status) {
    case KAuthStatus.DefaultKey:
      return [DEFAULT_KEY];
    case KAuthStatus.EnrKey:
      return [enrSlice(enr, 0)];
    case KAuthStatus.DoubleEnrKey:
      if (len < 16) return [DEFAULT_KEY];
      if (len === 16) return [enrSlice(enr, 0), DEFAULT_KEY];
      return [enrSlice(enr, 0), enrSlice(enr, 16)];
    default:
      throw new KAuthStatusError(status);
  }
}

function checkChallenge(b: Uint8Array, what: string): void {
  if (b.length !== KAUTH_CHALLENGE_LENGTH) throw new RangeError(`${what} must be 16 bytes, got ${b.length}`);
}

/** Client side: the K10002 response to a K10001 challenge. */
export function kauthResponse(enr: string, status: number, challenge: Uint8Array): Uint8Array {
  checkChallenge(challenge, 'challenge');
  return kauthDecrypt(kauthKeys(enr, status), challenge);
}

/** Client side with keys derived beforehand (deriveCameraKeys). */
export function kauthDecrypt(keys: readonly Uint8Array[], challenge: Uint8Array): Uint8Array {
  checkChallenge(challenge, 'challenge');
  let v = challenge;
  for (const key of keys) v = xxteaDecrypt(v, key);
  return v;
}

/**
 * Camera side: the challenge for a secret, encrypting with the client's keys in reverse order so that
 * kauthResponse(challenge) gives the secret back.
 */
export function kauthChallenge(enr: string, status: number, secret: Uint8Array): Uint8Array {
  checkChallenge(secret, 'secret');
  return kauthEncrypt(kauthKeys(enr, status), secret);
}

/** Camera side with keys derived beforehand (deriveCameraKeys). */
export function kauthEncrypt(keys: readonly Uint8Array[], secret: Uint8Array): Uint8Array {
  checkChallenge(secret, 'secret');
  let v = secret;
  for (let i = keys.length - 1; i >= 0; i--) v = xxteaEncrypt(v, keys[i]);
  return v;
}

/** Camera side: does a K10002 response prove knowledge of the ENR? Constant time in the response bytes. */
export function kauthVerify(secret: Uint8Array, response: Uint8Array): boolean {
  return secret.length === KAUTH_CHALLENGE_LENGTH && response.length === KAUTH_CHALLENGE_LENGTH && timingSafeEqual(secret, response);
}
