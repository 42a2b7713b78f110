import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase32, hotp, totp, TotpSecretError } from './totp';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC6238_SHA1_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC6238_SHA1: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  for (const [seconds, code] of RFC6238_SHA1) {
    test(`RFC 6238 appendix B, T = ${seconds}`, () => {
      assert.equal(totp(RFC6238_SHA1_SECRET, { timeMs: seconds * 1000, digits: 8 }), code);
    });
  }

  test('six digits are the low six of the eight (same truncation)', () => {
    assert.equal(totp(RFC6238_SHA1_SECRET, { timeMs: 59_000 }), '287082');
  });

  test('codes hold for the whole 30 s step and change at its boundary', () => {
    assert.equal(totp(RFC6238_SHA1_SECRET, { timeMs: 1111111110_000, digits: 8 }), totp(RFC6238_SHA1_SECRET, { timeMs: 1111111119_999, digits: 8 }));
    assert.notEqual(totp(RFC6238_SHA1_SECRET, { timeMs: 1111111109_999, digits: 8 }), totp(RFC6238_SHA1_SECRET, { timeMs: 1111111110_000, digits: 8 }));
  });

  test('RFC 4226 appendix D HOTP values', () => {
    const key = new TextEncoder().encode('12345678901234567890');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(key, counter), code));
  });
});

describe('decodeBase32', () => {
  test('RFC 4648 §10 vectors', () => {
    const cases: [string, string][] = [
      ['MY======', 'f'],
      ['MZXQ====', 'fo'],
      ['MZXW6===', 'foo'],
      ['MZXW6YQ=', 'foob'],
      ['MZXW6YTB', 'fooba'],
      ['MZXW6YTBOI======', 'foobar'],
    ];
    for (const [b32, text] of cases) assert.equal(Buffer.from(decodeBase32(b32)).toString(), text);
  });

  test('accepts lower case, spaces and dashes as authenticator apps show them', () => {
    assert.deepEqual(decodeBase32('gezd gnbv-gy3t qojq'), decodeBase32('GEZDGNBVGY3TQOJQ'));
  });

  test('rejects a non-base32 secret without echoing it', () => {
    const secret = 'NOT1BASE32SECRET';
    assert.throws(
      () => decodeBase32(secret),
      (e: unknown) => e instanceof TotpSecretError && !e.message.includes(secret),
    );
    assert.throws(() => decodeBase32('  '), TotpSecretError);
  });
});
