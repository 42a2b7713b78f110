import { createHash } from 'node:crypto';

/**
 * The first 6 bytes of SHA-256(ENR ‖ upper-case MAC), from which the AuthKey is spelled (SEED §15.3,
 * vector kind `auth_key`).
 */
export function authKeyDigestPrefix(enr: string, mac: string): Uint8Array {
  const digest = createHash('sha256').update(enr, 'latin1').update(mac.toUpperCase(), 'latin1').digest();
  return Uint8Array.prototype.slice.call(digest, 0, 6);
}

/**
 * The 8-character AuthKey both flavours send: base64 of the 6-byte digest prefix with '+' → 'Z',
 * '/' → '9' (SEED §15.3). Six bytes encode to exactly 8 characters, so the '=' → 'A' rule never fires.
 */
export function authKey(enr: string, mac: string): string {
  return Buffer.from(authKeyDigestPrefix(enr, mac)).toString('base64').replace(/\+/g, 'Z').replace(/\//g, '9').replace(/=/g, 'A');
}
