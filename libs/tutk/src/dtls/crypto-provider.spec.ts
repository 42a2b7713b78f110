import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cipherSuite } from './cipher-suites';
import { NamedGroup } from './constants';
import type { EcdhGroup } from './crypto/dtls-crypto';
import { nobleCrypto } from './crypto/noble-crypto';
import { nodeCrypto } from './crypto/node-crypto';
import { defaultCrypto, sodiumCrypto } from './crypto/sodium-crypto';
import { wyzePskFromEnr } from './psk';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('crypto providers agree', () => {
  for (const group of [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1] as EcdhGroup[]) {
    test(`ECDH group 0x${group.toString(16)}: a key from one provider works with the other`, () => {
      const a = nodeCrypto.ecdhGenerate(group);
      const b = nobleCrypto.ecdhGenerate(group);
      assert.equal(hex(nobleCrypto.ecdhFromPrivate(group, a.privateKey).publicKey), hex(a.publicKey));
      assert.equal(hex(nodeCrypto.ecdhFromPrivate(group, b.privateKey).publicKey), hex(b.publicKey));
      const s1 = nodeCrypto.ecdh(group, a.privateKey, b.publicKey);
      const s2 = nobleCrypto.ecdh(group, b.privateKey, a.publicKey);
      assert.equal(hex(s1), hex(s2));
      assert.equal(s1.length, group === NamedGroup.Secp384r1 ? 48 : 32);
    });
  }

  test('X25519 with a low-order peer key (all-zero output) throws in every provider, so the handshake can alert', () => {
    const k = nodeCrypto.ecdhGenerate(NamedGroup.X25519);
    for (const c of [nodeCrypto, nobleCrypto, sodiumCrypto!]) assert.throws(() => c.ecdh(NamedGroup.X25519, k.privateKey, new Uint8Array(32)), c.name);
  });

  test('X25519 in libsodium agrees with node:crypto and @noble both ways', () => {
    const sodium = sodiumCrypto!;
    for (let i = 0; i < 20; i++) {
      const a = sodium.ecdhGenerate(NamedGroup.X25519);
      for (const other of [nodeCrypto, nobleCrypto]) {
        const b = other.ecdhGenerate(NamedGroup.X25519);
        assert.equal(hex(other.ecdhFromPrivate(NamedGroup.X25519, a.privateKey).publicKey), hex(a.publicKey));
        assert.equal(hex(sodium.ecdhFromPrivate(NamedGroup.X25519, b.privateKey).publicKey), hex(b.publicKey));
        assert.equal(hex(sodium.ecdh(NamedGroup.X25519, a.privateKey, b.publicKey)), hex(other.ecdh(NamedGroup.X25519, b.privateKey, a.publicKey)), other.name);
      }
    }
    assert.throws(() => sodium.ecdh(NamedGroup.X25519, sodium.ecdhGenerate(NamedGroup.X25519).privateKey, new Uint8Array(31)), RangeError);
  });

  test('HMAC over parts equals HMAC over the concatenation', () => {
    const key = Uint8Array.of(1, 2, 3);
    for (const c of [nodeCrypto, nobleCrypto]) {
      assert.equal(hex(c.hmacSha256(key, Uint8Array.of(4), Uint8Array.of(5, 6))), hex(nodeCrypto.hmacSha256(key, Uint8Array.of(4, 5, 6))));
    }
  });

  test('PSK: truncation at the first zero byte, always 32 bytes', () => {
    for (let i = 0; i < 300; i++) {
      const p = wyzePskFromEnr(`enr-${i}`, i % 2 ? nobleCrypto : nodeCrypto);
      assert.equal(p.psk.length, 32);
      assert.ok(p.sha256.subarray(0, p.effectiveLength).every((b) => b !== 0));
      assert.equal(hex(p.psk.subarray(0, p.effectiveLength)), hex(p.sha256.subarray(0, p.effectiveLength)));
      assert.ok(p.psk.subarray(p.effectiveLength).every((b) => b === 0));
      if (p.effectiveLength < 32) assert.equal(p.sha256[p.effectiveLength], 0);
    }
  });
});

describe('libsodium ChaCha20-Poly1305 (sodium-native)', () => {
  const sodium = sodiumCrypto;
  test('loads on this platform, and is what endpoints use by default', () => {
    assert.ok(sodium, 'sodium-native did not load');
    assert.equal(defaultCrypto, sodium);
  });

  test('seal and open agree with node:crypto both ways, for lengths 0..300, including in place', () => {
    const c = sodium!;
    const key = nodeCrypto.randomBytes(32);
    const nonce = nodeCrypto.randomBytes(12);
    const aad = nodeCrypto.randomBytes(13);
    for (let n = 0; n <= 300; n += 7) {
      const pt = nodeCrypto.randomBytes(n);
      const a = new Uint8Array(n + 16);
      const b = new Uint8Array(n + 16);
      c.chachaSeal(key, nonce, aad, pt, a);
      nodeCrypto.chachaSeal(key, nonce, aad, pt, b);
      assert.equal(hex(a), hex(b), `seal, ${n} bytes`);
      assert.equal(hex(c.chachaOpen(key, nonce, aad, b)!), hex(pt));
      assert.equal(hex(nodeCrypto.chachaOpen(key, nonce, aad, a)!), hex(pt));
      // In place: the plaintext is a view over the front of the sealed bytes.
      const sealed = Uint8Array.from(a);
      const opened = c.chachaOpenInPlace!(key, nonce, aad, sealed)!;
      assert.equal(hex(opened), hex(pt));
      assert.equal(opened.buffer, sealed.buffer);
      assert.equal(opened.byteOffset, sealed.byteOffset);
    }
  });

  test('a wrong tag, AAD, nonce or key gives null (not an exception), copying or in place', () => {
    const c = sodium!;
    const key = nodeCrypto.randomBytes(32);
    const nonce = nodeCrypto.randomBytes(12);
    const aad = nodeCrypto.randomBytes(13);
    const pt = nodeCrypto.randomBytes(100);
    const sealed = new Uint8Array(116);
    c.chachaSeal(key, nonce, aad, pt, sealed);
    const flip = (b: Uint8Array, i: number) => {
      const x = Uint8Array.from(b);
      x[i] ^= 1;
      return x;
    };
    const cases: [string, Uint8Array, Uint8Array, Uint8Array, Uint8Array][] = [
      ['tag', key, nonce, aad, flip(sealed, 115)],
      ['ciphertext', key, nonce, aad, flip(sealed, 3)],
      ['aad', key, nonce, flip(aad, 12), sealed],
      ['nonce', key, flip(nonce, 11), aad, sealed],
      ['key', flip(key, 0), nonce, aad, sealed],
    ];
    for (const [what, k, n, a, s] of cases) {
      assert.equal(c.chachaOpen(k, n, a, s), null, what);
      assert.equal(c.chachaOpenInPlace!(k, n, a, Uint8Array.from(s)), null, `${what}, in place`);
    }
    assert.equal(c.chachaOpen(key, nonce, aad, sealed.subarray(0, 15)), null, 'shorter than a tag');
    assert.equal(c.chachaOpenInPlace!(key, nonce, aad, sealed.subarray(0, 15)), null, 'shorter than a tag, in place');
  });

  test('the record cipher decrypts in place only when the caller consumes the payload', () => {
    const suite = cipherSuite(0xccac)!;
    const k = nodeCrypto.randomBytes(32);
    const iv = nodeCrypto.randomBytes(12);
    const cipher = suite.createCipher(sodium!, { writeKey: k, readKey: k, writeIv: iv, readIv: iv, writeMacKey: new Uint8Array(0), readMacKey: new Uint8Array(0) });
    const pt = nodeCrypto.randomBytes(64);
    const record = cipher.seal(23, 1, 5, pt);
    const payload = record.subarray(13);
    const before = hex(payload);
    assert.equal(hex(cipher.open(23, 0xfefd, 1, 5, payload)!), hex(pt));
    assert.equal(hex(payload), before, 'not consumed: the payload is left alone');
    const opened = cipher.open(23, 0xfefd, 1, 5, payload, true)!;
    assert.equal(hex(opened), hex(pt));
    assert.equal(opened.byteOffset, payload.byteOffset, 'consumed: decrypted where it lay');
  });
});
