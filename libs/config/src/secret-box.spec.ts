import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBox, SecretBoxError } from './secret-box';
import { generateSecretKey } from './secret-key';

const ENR = 'Xy7+kq/Pq3LmN0aB';

function expectCode(fn: () => unknown, code: SecretBoxError['code']): void {
  assert.throws(fn, (err: unknown) => err instanceof SecretBoxError && err.code === code);
}

describe('SecretBox', () => {
  const box = new SecretBox(generateSecretKey());

  test('round-trips text, including empty and non-ASCII', () => {
    for (const plain of [ENR, '', 'é—🔑', 'x'.repeat(4096)]) assert.equal(box.decrypt(box.encrypt(plain)), plain);
  });

  test('output is versioned and hides the plaintext', () => {
    const sealed = box.encrypt(ENR);
    assert.match(sealed, /^v1:[A-Za-z0-9+/]+=*$/);
    assert.ok(SecretBox.isSealed(sealed));
    assert.ok(!sealed.includes(ENR));
    assert.ok(!Buffer.from(sealed.slice(3), 'base64').includes(Buffer.from(ENR)));
  });

  test('a fresh nonce each time: same plaintext, different ciphertexts', () => {
    assert.notEqual(box.encrypt(ENR), box.encrypt(ENR));
  });

  test('any flipped byte is detected', () => {
    const bytes = Buffer.from(box.encrypt(ENR).slice(3), 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i] ^= 0x01;
      expectCode(() => box.decrypt(`v1:${altered.toString('base64')}`), 'AUTH_FAILED');
    }
  });

  test('a wrong key fails', () => {
    const other = new SecretBox(generateSecretKey());
    expectCode(() => other.decrypt(box.encrypt(ENR)), 'AUTH_FAILED');
  });

  test('the context is bound: a ciphertext moved to another camera does not open', () => {
    const sealed = box.encrypt(ENR, 'camera-1');
    assert.equal(box.decrypt(sealed, 'camera-1'), ENR);
    expectCode(() => box.decrypt(sealed, 'camera-2'), 'AUTH_FAILED');
    expectCode(() => box.decrypt(sealed), 'AUTH_FAILED');
  });

  test('malformed and foreign inputs are typed errors', () => {
    expectCode(() => box.decrypt('no-prefix'), 'MALFORMED');
    expectCode(() => box.decrypt('v2:AAAA'), 'UNSUPPORTED_VERSION');
    expectCode(() => box.decrypt('v1:%%%'), 'MALFORMED');
    expectCode(() => box.decrypt('v1:AAAA'), 'MALFORMED');
    const truncated = box.encrypt(ENR).slice(0, -8);
    assert.throws(() => box.decrypt(truncated), SecretBoxError);
  });

  test('rejects keys that are not 32 bytes', () => {
    assert.throws(() => new SecretBox(new Uint8Array(16)), RangeError);
  });
});
