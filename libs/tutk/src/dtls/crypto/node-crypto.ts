import * as nc from 'node:crypto';
import type { DtlsCrypto, EcdhGroup, EcdhKeyPair } from './dtls-crypto';

// DER prefix for a raw X25519 private key (RFC 8410 §7 PKCS#8, OID 1.3.101.110).
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const NIST_CURVE: Record<number, string> = { 0x0017: 'prime256v1', 0x0018: 'secp384r1' };

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** KeyObjects for private keys we generated: importing a raw X25519 private key costs more than the ECDH itself. */
const x25519Keys = new WeakMap<Uint8Array, nc.KeyObject>();

function x25519Private(raw: Uint8Array): nc.KeyObject {
  let key = x25519Keys.get(raw);
  if (!key) {
    key = nc.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
    x25519Keys.set(raw, key);
  }
  return key;
}
/** JWK import and export are several times faster than DER for raw OKP keys in node 20. */
function x25519Raw(key: nc.KeyObject): EcdhKeyPair {
  const jwk = key.export({ format: 'jwk' });
  const privateKey = u8(Buffer.from(jwk.d!, 'base64url'));
  x25519Keys.set(privateKey, key);
  return { privateKey, publicKey: u8(Buffer.from(jwk.x!, 'base64url')) };
}

// Option objects shared by every record (node reads them during the call): one allocation less per record.
const TAG_16 = Object.freeze({ authTagLength: 16 as const });
const openAadOptions = { plaintextLength: 0 };
const openTag = new Uint8Array(16);

/** node:crypto (OpenSSL). The default: its ChaCha20-Poly1305 and X25519 beat the pure-JS provider (bench/dtls-crypto.ts). */
export const nodeCrypto: DtlsCrypto = {
  name: 'node',
  randomBytes: (n) => u8(nc.randomBytes(n)),
  sha256: (data) => u8(nc.createHash('sha256').update(data).digest()),
  hmacSha256(key, ...parts) {
    const h = nc.createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return u8(h.digest());
  },

  ecdhGenerate(group: EcdhGroup): EcdhKeyPair {
    if (group === 0x001d) {
      return x25519Raw(nc.generateKeyPairSync('x25519').privateKey);
    }
    const ecdh = nc.createECDH(NIST_CURVE[group]);
    const publicKey = u8(ecdh.generateKeys());
    return { privateKey: u8(ecdh.getPrivateKey()), publicKey };
  },
  ecdhFromPrivate(group, privateKey) {
    if (group === 0x001d) return { privateKey, publicKey: x25519Raw(x25519Private(privateKey)).publicKey };
    const ecdh = nc.createECDH(NIST_CURVE[group]);
    ecdh.setPrivateKey(buf(privateKey));
    return { privateKey, publicKey: u8(ecdh.getPublicKey()) };
  },
  ecdh(group, privateKey, peerPublic) {
    if (group === 0x001d) {
      if (peerPublic.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
      const publicKey = nc.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: buf(peerPublic).toString('base64url') }, format: 'jwk' });
      // OpenSSL refuses an all-zero result (RFC 7748 §6.1) by throwing, which the caller maps to an alert.
      return u8(nc.diffieHellman({ privateKey: x25519Private(privateKey), publicKey }));
    }
    const ecdh = nc.createECDH(NIST_CURVE[group]);
    ecdh.setPrivateKey(buf(privateKey));
    return u8(ecdh.computeSecret(buf(peerPublic)));
  },

  chachaSeal(key, nonce, aad, plaintext, out) {
    const c = nc.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: plaintext.length });
    const ct = c.update(plaintext);
    out.set(ct, 0);
    c.final();
    out.set(c.getAuthTag(), plaintext.length);
  },
  chachaOpen(key, nonce, aad, sealed) {
    if (sealed.length < 16) return null;
    const n = sealed.length - 16;
    const d = nc.createDecipheriv('chacha20-poly1305', key, nonce, TAG_16);
    openAadOptions.plaintextLength = n;
    d.setAAD(aad, openAadOptions);
    // Copied into a scratch array (OpenSSL copies it again) rather than viewed: one object less per record.
    for (let i = 0; i < 16; i++) openTag[i] = sealed[n + i];
    d.setAuthTag(openTag);
    const pt = d.update(sealed.subarray(0, n));
    try {
      d.final();
    } catch {
      return null;
    }
    return u8(pt);
  },

  aes128CbcEncrypt(key, iv, data, out) {
    const c = nc.createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
    out.set(c.update(data), 0);
    c.final();
  },
  aes128CbcDecrypt(key, iv, data) {
    const d = nc.createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
    const pt = d.update(data);
    d.final();
    return u8(pt);
  },
};
