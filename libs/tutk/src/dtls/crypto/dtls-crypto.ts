/** Elliptic-curve groups the key exchange can use (RFC 8422 §5.1.1 NamedGroup values). */
export type EcdhGroup = 0x001d | 0x0017 | 0x0018;

export interface EcdhKeyPair {
  privateKey: Uint8Array;
  /** X25519: 32 raw bytes; P-256/P-384: the uncompressed point (04 ‖ x ‖ y). */
  publicKey: Uint8Array;
}

/**
 * Every primitive the DTLS layer needs, so the whole stack runs on either node:crypto or @noble/*.
 * Byte arrays passed in are never kept or modified unless a parameter says it is an output.
 */
export interface DtlsCrypto {
  readonly name: string;
  randomBytes(n: number): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  /** HMAC-SHA256 over the concatenation of `parts` (saves the caller a copy). */
  hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array;

  ecdhGenerate(group: EcdhGroup): EcdhKeyPair;
  /** Key pair from a given private key (tests and vectors). */
  ecdhFromPrivate(group: EcdhGroup, privateKey: Uint8Array): EcdhKeyPair;
  /** The shared secret (X25519 output, or the x coordinate for NIST curves, RFC 8422 §5.10); throws on an invalid peer key. */
  ecdh(group: EcdhGroup, privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array;

  /** ChaCha20-Poly1305 (RFC 8439): writes ciphertext ‖ 16-byte tag into `out` (length plaintext + 16). */
  chachaSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array): void;
  /** Returns the plaintext, or null when the tag does not verify. */
  chachaOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /**
   * Optional: chachaOpen writing the plaintext over the front of `sealed`, which the caller gives up (its
   * bytes are undefined afterwards, whether or not the tag verifies). Saves an allocation per record.
   */
  chachaOpenInPlace?(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;

  /** AES-128-CBC without padding; `data` is a multiple of 16 bytes. Writes into `out` (same length). */
  aes128CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, out: Uint8Array): void;
  aes128CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}
