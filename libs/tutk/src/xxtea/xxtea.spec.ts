import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { xxteaDecrypt, xxteaEncrypt } from './xxtea';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('XXTEA (FACTS §9.2)', () => {
  test("go2rtc's unit-test vector", () => {
    const data = Buffer.from('WERhJxb87WF3zgPa', 'latin1');
    const key = Buffer.from('GAgDiwVPg2E4GMke', 'latin1');
    assert.equal(x(xxteaDecrypt(data, key)), 'c4a62ca1106417a5da02e162a5f06271');
    assert.equal(Buffer.from(xxteaEncrypt(h('c4a62ca1106417a5da02e162a5f06271'), key)).toString('latin1'), 'WERhJxb87WF3zgPa');
  });

  test('6 words, 14 rounds', () => {
    const key = h('efbccd2f0366ce55135adb1e78329c1a');
    assert.equal(x(xxteaDecrypt(h('185acb8c7efc8d42848ecf7558859fd91ea4a51adac4e043'), key)), '257eabdcead08df5bdfd9357cdee0c0cbbd68f260b91fdf4');
    assert.equal(x(xxteaEncrypt(h('257eabdcead08df5bdfd9357cdee0c0cbbd68f260b91fdf4'), key)), '185acb8c7efc8d42848ecf7558859fd91ea4a51adac4e043');
  });

  test('decrypt inverts encrypt for every size, and a different key does not', () => {
    const rand = rng(5);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => (rand() * 256) | 0);
    for (let words = 2; words <= 64; words++) {
      const data = bytes(words * 4);
      const key = bytes(16);
      const c = xxteaEncrypt(data, key);
      assert.notDeepEqual(c, data);
      assert.deepEqual(xxteaDecrypt(c, key), data);
      const other = Uint8Array.from(key);
      other[(rand() * 16) | 0] ^= 1 << ((rand() * 8) | 0);
      assert.notDeepEqual(xxteaDecrypt(c, other), data);
    }
  });

  test('does not modify its input', () => {
    const data = new Uint8Array(16).fill(3);
    xxteaEncrypt(data, new Uint8Array(16));
    xxteaDecrypt(data, new Uint8Array(16));
    assert.deepEqual(data, new Uint8Array(16).fill(3));
  });

  test('rejects bad sizes', () => {
    assert.throws(() => xxteaEncrypt(new Uint8Array(16), new Uint8Array(15)), RangeError);
    assert.throws(() => xxteaDecrypt(new Uint8Array(4), new Uint8Array(16)), RangeError);
    assert.throws(() => xxteaDecrypt(new Uint8Array(18), new Uint8Array(16)), RangeError);
  });
});
