import { NamedGroup } from '../constants';
import type { DtlsCrypto } from './dtls-crypto';
import { nodeCrypto } from './node-crypto';

/** The part of sodium-native (libsodium bindings) we call. */
interface SodiumAead {
  /** X25519 (RFC 7748): q = n·base point. */
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void;
  /** X25519: q = n·p; throws on an all-zero result (a low-order p, RFC 7748 §6.1). */
  crypto_scalarmult(q: Uint8Array, n: Uint8Array, p: Uint8Array): void;
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  /** Returns the plaintext length; throws when the tag does not verify (and zeroes `m`). */
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
}

function loadSodium(): SodiumAead | undefined {
  try {
    // Optional at run time: a platform without a prebuilt binary falls back to node:crypto.
    return require('sodium-native') as SodiumAead;
  } catch {
    return undefined;
  }
}

function sodiumProvider(s: SodiumAead): DtlsCrypto {
  /** Decrypts `sealed` into `out` (its length is the plaintext's); null when the tag does not verify. */
  const open = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array, out: Uint8Array): Uint8Array | null => {
    try {
      s.crypto_aead_chacha20poly1305_ietf_decrypt(out, null, sealed, aad, nonce, key);
      return out;
    } catch {
      return null;
    }
  };
  const x25519Public = (privateKey: Uint8Array): Uint8Array => {
    const publicKey = new Uint8Array(32);
    s.crypto_scalarmult_base(publicKey, privateKey);
    return publicKey;
  };
  return {
    ...nodeCrypto,
    name: 'sodium',
    // X25519 as two native calls on raw bytes; node:crypto goes through KeyObjects and JWK, several times
    // the cost, and the client pays it on the handshake's path (ClientKeyExchange). NIST curves stay there.
    ecdhGenerate(group) {
      if (group !== NamedGroup.X25519) return nodeCrypto.ecdhGenerate(group);
      const privateKey = nodeCrypto.randomBytes(32);
      return { privateKey, publicKey: x25519Public(privateKey) };
    },
    ecdhFromPrivate: (group, privateKey) => (group === NamedGroup.X25519 ? { privateKey, publicKey: x25519Public(privateKey) } : nodeCrypto.ecdhFromPrivate(group, privateKey)),
    ecdh(group, privateKey, peerPublic) {
      if (group !== NamedGroup.X25519) return nodeCrypto.ecdh(group, privateKey, peerPublic);
      if (peerPublic.length !== 32 || privateKey.length !== 32) throw new RangeError('X25519 keys are 32 bytes');
      const shared = new Uint8Array(32);
      s.crypto_scalarmult(shared, privateKey, peerPublic);
      return shared;
    },
    chachaSeal(key, nonce, aad, plaintext, out) {
      s.crypto_aead_chacha20poly1305_ietf_encrypt(out.subarray(0, plaintext.length + 16), plaintext, aad, null, nonce, key);
    },
    chachaOpen: (key, nonce, aad, sealed) => (sealed.length < 16 ? null : open(key, nonce, aad, sealed, new Uint8Array(sealed.length - 16))),
    // libsodium verifies the tag before it decrypts, and reads each block before writing it: in place is safe.
    chachaOpenInPlace: (key, nonce, aad, sealed) => (sealed.length < 16 ? null : open(key, nonce, aad, sealed, sealed.subarray(0, sealed.length - 16))),
  };
}

const sodium = loadSodium();

/**
 * node:crypto with ChaCha20-Poly1305 from libsodium (sodium-native): one native call per record instead of a
 * cipher object, about 4× cheaper per 1 KB record (bench/dtls-crypto.ts). Undefined where sodium-native has
 * no binary for the platform.
 */
export const sodiumCrypto: DtlsCrypto | undefined = sodium && sodiumProvider(sodium);

/** What DTLS endpoints use unless told otherwise: libsodium's AEAD where it loads, else node:crypto. */
export const defaultCrypto: DtlsCrypto = sodiumCrypto ?? nodeCrypto;
