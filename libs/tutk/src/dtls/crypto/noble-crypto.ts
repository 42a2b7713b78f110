import { cbc } from '@noble/ciphers/aes';
import { chacha20poly1305 } from '@noble/ciphers/chacha';
import { randomBytes } from '@noble/ciphers/webcrypto';
import { x25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';
import type { DtlsCrypto, EcdhGroup } from './dtls-crypto';

const nist = (group: EcdhGroup) => (group === 0x0017 ? p256 : p384);

/** Pure-JS provider on @noble/*: no native code, same results as node:crypto. */
export const nobleCrypto: DtlsCrypto = {
  name: 'noble',
  randomBytes: (n) => randomBytes(n),
  sha256: (data) => sha256(data),
  hmacSha256(key, ...parts) {
    const h = hmac.create(sha256, key);
    for (const p of parts) h.update(p);
    return h.digest();
  },

  ecdhGenerate(group) {
    if (group === 0x001d) return this.ecdhFromPrivate(group, x25519.utils.randomPrivateKey());
    return this.ecdhFromPrivate(group, nist(group).utils.randomPrivateKey());
  },
  ecdhFromPrivate(group, privateKey) {
    if (group === 0x001d) return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
    return { privateKey, publicKey: nist(group).getPublicKey(privateKey, false) };
  },
  ecdh(group, privateKey, peerPublic) {
    if (group === 0x001d) {
      if (peerPublic.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
      // noble throws on an all-zero shared secret (RFC 7748 §6.1).
      return x25519.getSharedSecret(privateKey, peerPublic);
    }
    // The compressed form is 1 prefix byte then x, which is the TLS premaster for ECDH (RFC 8422 §5.10).
    return nist(group).getSharedSecret(privateKey, peerPublic, true).subarray(1);
  },

  chachaSeal(key, nonce, aad, plaintext, out) {
    chacha20poly1305(key, nonce, aad).encrypt(plaintext, out);
  },
  chachaOpen(key, nonce, aad, sealed) {
    if (sealed.length < 16) return null;
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(sealed);
    } catch {
      return null;
    }
  },

  aes128CbcEncrypt(key, iv, data, out) {
    // noble writes in place only into 4-byte-aligned output; a record body after the 13-byte header is not.
    if (out.byteOffset % 4 === 0) cbc(key, iv, { disablePadding: true }).encrypt(data, out);
    else out.set(cbc(key, iv, { disablePadding: true }).encrypt(data));
  },
  aes128CbcDecrypt(key, iv, data) {
    return cbc(key, iv, { disablePadding: true }).decrypt(data);
  },
};
