import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NamedGroup } from './constants';
import type { EcdhGroup } from './crypto/dtls-crypto';
import { nobleCrypto } from './crypto/noble-crypto';
import { nodeCrypto } from './crypto/node-crypto';
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

  test('X25519 with a low-order peer key (all-zero output) throws in both, so the handshake can alert', () => {
    const k = nodeCrypto.ecdhGenerate(NamedGroup.X25519);
    for (const c of [nodeCrypto, nobleCrypto]) assert.throws(() => c.ecdh(NamedGroup.X25519, k.privateKey, new Uint8Array(32)));
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
