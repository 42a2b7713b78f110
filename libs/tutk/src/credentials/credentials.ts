import { authKey } from './auth-key';

/** Length of the UID field in IOTC packets (FACTS §4.2). */
export const UID_LENGTH = 20;
/** Length of the AuthKey (FACTS §4.2, SEED §15.3). */
export const AUTH_KEY_LENGTH = 8;

/** What a camera's cloud record gives us; the ENR is the secret. */
export interface CameraCredentials {
  uid: string;
  enr: string;
  mac: string;
}

/** Everything both flavours derive from {@link CameraCredentials}, computed once per camera. */
export interface TransportKeys {
  uid: string;
  /** UID as ASCII, zero-padded to 20 bytes, as written in IOTC packets. */
  uidField: Uint8Array;
  authKey: string;
  /** AuthKey as 8 ASCII bytes. */
  authKeyBytes: Uint8Array;
}

/** Throws RangeError on input no camera could have: a builder's precondition, not a parse failure. */
export function deriveTransportKeys(creds: CameraCredentials): TransportKeys {
  const uidField = uidToField(creds.uid);
  const key = authKey(creds.enr, creds.mac);
  return { uid: creds.uid, uidField, authKey: key, authKeyBytes: asciiField(key, AUTH_KEY_LENGTH) };
}

export function uidToField(uid: string): Uint8Array {
  return asciiField(uid, UID_LENGTH);
}

/** The UID field as a string: ASCII up to the first zero byte. */
export function uidFromField(field: Uint8Array): string {
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  return Buffer.from(field.buffer, field.byteOffset, end).toString('latin1');
}

function asciiField(s: string, size: number): Uint8Array {
  // eslint-disable-next-line no-control-regex
  if (s.length > size || /[^\x00-\x7f]/.test(s)) throw new RangeError(`expected at most ${size} ASCII characters, got ${JSON.stringify(s)}`);
  const out = new Uint8Array(size);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
