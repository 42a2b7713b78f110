import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TutkParseError } from '../wire/parse-error';
import { cipherSuite, chachaNonce, type TrafficKeys } from './cipher-suites';
import { nobleCrypto } from './crypto/noble-crypto';
import { nodeCrypto } from './crypto/node-crypto';
import { parseRecords, plaintextRecord, readRecordAt, type DtlsRecord } from './record';
import { ReplayWindow } from './replay-window';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('record framing', () => {
  test('header fields, 48-bit sequence and several records per datagram', () => {
    const a = plaintextRecord(22, 0xfefd, 0, 0x0102_0304_0506, h('aabb'));
    assert.equal(hex(a), '16fefd0000010203040506' + '0002aabb');
    const recs = parseRecords(Buffer.concat([a, plaintextRecord(20, 0xfefd, 1, 7, h('01'))]));
    assert.deepEqual(
      recs.map((r) => [r.type, r.version, r.epoch, r.seq, hex(r.payload)]),
      [
        [22, 0xfefd, 0, 0x0102_0304_0506, 'aabb'],
        [20, 0xfefd, 1, 7, '01'],
      ],
    );
  });
  test('a length past the datagram, a non-DTLS version, an oversize record are typed errors', () => {
    assert.throws(() => parseRecords(h('16fefd0000000000000000 0005 aabb')), (e: unknown) => e instanceof TutkParseError && e.reason === 'short');
    assert.throws(() => parseRecords(h('160303 0000000000000000 0000')), (e: unknown) => e instanceof TutkParseError && e.reason === 'bad-version');
    assert.throws(() => parseRecords(h('16fefd 0000000000000000 ffff')), (e: unknown) => e instanceof TutkParseError && e.reason === 'record-overflow');
  });
  test('readRecordAt (the per-datagram reader) fills a reused record, returns the next offset, and fails as readRecord does', () => {
    const d = Buffer.concat([plaintextRecord(23, 0xfefd, 1, 0xffff_ffff_ff, h('aabbcc')), plaintextRecord(21, 0xfeff, 0, 2, h('0100'))]);
    const rec: DtlsRecord = { type: 0, version: 0, epoch: 0, seq: 0, payload: new Uint8Array(0) };
    const next = readRecordAt(d, 0, rec);
    assert.deepEqual([next, rec.type, rec.version, rec.epoch, rec.seq, hex(rec.payload)], [16, 23, 0xfefd, 1, 0xffff_ffff_ff, 'aabbcc']);
    assert.equal(readRecordAt(d, next, rec), d.length);
    assert.deepEqual([rec.type, rec.version, rec.epoch, rec.seq, hex(rec.payload)], [21, 0xfeff, 0, 2, '0100']);
    const reason = (b: Uint8Array) => {
      try {
        readRecordAt(b, 0, rec);
      } catch (e) {
        assert.ok(e instanceof TutkParseError);
        return e.reason;
      }
      return 'ok';
    };
    for (const bad of ['16', '16fe', '160303', '16fefd 0000', '16fefd0000000000000000 0005 aabb', '160303 0000000000000000 0000', '16fefd 0000000000000000 ffff', '16fefd0000000000000000 0000']) {
      const b = h(bad);
      let expected = 'ok';
      try {
        parseRecords(b);
      } catch (e) {
        expected = (e as TutkParseError).reason;
      }
      assert.equal(reason(b), expected, bad);
    }
  });
});

describe('ReplayWindow (RFC 6347 §4.1.2.6)', () => {
  test('accepts new numbers, rejects repeats and numbers older than the window', () => {
    const w = new ReplayWindow(64);
    for (const s of [0, 1, 5, 3]) {
      assert.ok(w.accepts(s));
      w.mark(s);
    }
    assert.ok(!w.accepts(3) && !w.accepts(5));
    assert.ok(w.accepts(2) && w.accepts(4));
    w.mark(100);
    assert.ok(!w.accepts(36), '100 - 36 = 64 is outside the window');
    assert.ok(w.accepts(37));
    assert.ok(w.accepts(69), 'slot 69 % 64, once used by 5, was cleared when the window slid');
    w.mark(37);
    assert.ok(!w.accepts(37));
  });
  test('a jump beyond the window forgets everything below it', () => {
    const w = new ReplayWindow(64);
    w.mark(10);
    w.mark(10 + 1000);
    assert.ok(!w.accepts(10));
    assert.ok(w.accepts(1009));
  });
});

describe('record protection', () => {
  const keys = (k: number, ivLen: number, mac: boolean): TrafficKeys => ({
    writeKey: new Uint8Array(k).fill(1),
    readKey: new Uint8Array(k).fill(1),
    writeIv: new Uint8Array(ivLen).fill(2),
    readIv: new Uint8Array(ivLen).fill(2),
    writeMacKey: new Uint8Array(mac ? 32 : 0).fill(3),
    readMacKey: new Uint8Array(mac ? 32 : 0).fill(3),
  });

  test('RFC 7905 nonce puts epoch and sequence after four zero bytes', () => {
    assert.equal(hex(chachaNonce(new Uint8Array(12), 0x0102, 0x0304_0506_0708)), '00000000' + '0102' + '030405060708');
  });

  for (const [a, b] of [
    [nodeCrypto, nobleCrypto],
    [nobleCrypto, nodeCrypto],
  ]) {
    test(`${a.name} seals what ${b.name} opens, and tampering fails (both suites)`, () => {
      const pt = Uint8Array.from({ length: 1100 }, (_, i) => i & 0xff);
      for (const [id, k, iv, mac] of [
        [0xccac, 32, 12, false],
        [0x00ae, 16, 0, true],
      ] as const) {
        const s = cipherSuite(id)!;
        const rec = s.createCipher(a, keys(k, iv, mac)).seal(23, 1, 42, pt);
        const opener = s.createCipher(b, keys(k, iv, mac));
        const payload = rec.subarray(13);
        assert.equal(hex(opener.open(23, 0xfefd, 1, 42, payload)!), hex(pt), `0x${id.toString(16)}`);
        assert.equal(opener.open(23, 0xfefd, 1, 43, payload), null, 'different sequence number');
        assert.equal(opener.open(22, 0xfefd, 1, 42, payload), null, 'different content type');
        const bad = Uint8Array.from(payload);
        bad[bad.length - 20] ^= 0x80;
        assert.equal(opener.open(23, 0xfefd, 1, 42, bad), null, 'flipped bit');
        assert.equal(opener.open(23, 0xfefd, 1, 42, payload.subarray(0, 15)), null, 'truncated');
      }
    });
  }

  test('CBC uses the shortest padding and accepts longer valid padding (RFC 5246 §6.2.3.2)', () => {
    const s = cipherSuite(0x00ae)!;
    const k = keys(16, 0, true);
    for (const len of [0, 1, 15, 16, 17]) {
      const rec = s.createCipher(nodeCrypto, k).seal(23, 1, 1, new Uint8Array(len));
      const inner = rec.length - 13 - 16;
      assert.equal(inner % 16, 0);
      assert.ok(inner - len - 32 >= 1 && inner - len - 32 <= 16, `padding for ${len}`);
    }
    // Build a record with 2 blocks of extra padding by hand and check it opens.
    const pt = h('68656c6c6f');
    const header = h('0001 000000000001 17 fefd 0005');
    const mac = nodeCrypto.hmacSha256(k.writeMacKey, header, pt);
    const padLen = 16 - ((pt.length + 32) % 16) - 1 + 32;
    const inner = Buffer.concat([pt, mac, new Uint8Array(padLen + 1).fill(padLen)]);
    const iv = new Uint8Array(16).fill(9);
    const ct = new Uint8Array(inner.length);
    nodeCrypto.aes128CbcEncrypt(k.writeKey, iv, inner, ct);
    assert.equal(hex(s.createCipher(nobleCrypto, k).open(23, 0xfefd, 1, 1, Buffer.concat([iv, ct]))!), hex(pt));
    const badPad = Buffer.from(inner);
    badPad[badPad.length - 2] ^= 1;
    nodeCrypto.aes128CbcEncrypt(k.writeKey, iv, badPad, ct);
    assert.equal(s.createCipher(nobleCrypto, k).open(23, 0xfefd, 1, 1, Buffer.concat([iv, ct])), null);
  });
});
