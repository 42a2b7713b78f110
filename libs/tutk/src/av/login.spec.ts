import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { AckWindow, RX_UNSET, buildAck, parseAck } from './ack';
import { AV_LOGIN1_LENGTH, AV_LOGIN2_LENGTH, backchannelLoginEcho, buildAvLogin, buildAvLoginPair, parseAvLogin } from './login';
import { buildAvLoginResponse, parseAvLoginResponse } from './login-response';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ENR = '4J4tcWsFKsKZB38O';

/** The non-zero bytes of a record, as offset → hex, to compare long zero-padded layouts readably. */
function nonZero(b: Uint8Array): Record<number, string> {
  const out: Record<number, string> = {};
  b.forEach((v, i) => {
    if (v) out[i] = v.toString(16).padStart(2, '0');
  });
  return out;
}

describe('AV login (FACTS §8.2)', () => {
  test('#1 and #2: exact layout (vector av_login_pair)', () => {
    const [l1, l2] = buildAvLoginPair({ password: ENR, randomId: h('ff3a188d') });
    assert.equal(l1.length, 570);
    assert.equal(l2.length, 572);
    const common: Record<number, string> = { 2: '0c', 21: '3a', 22: '18', 23: '8d', 540: '04', 552: 'fb', 553: '07', 554: '1f' };
    Buffer.from('admin').forEach((c, i) => (common[24 + i] = c.toString(16)));
    Buffer.from(ENR).forEach((c, i) => (common[280 + i] = c.toString(16)));
    // #1: magic 0x0000, length 546, flags 1, random id as given.
    assert.deepEqual(nonZero(l1), { ...common, 16: '22', 17: '02', 18: '01', 20: 'ff' });
    // #2: magic 0x2000, length 548, flags 0, byte 20 + 1 with 8-bit wrap and no carry into 21.
    assert.deepEqual(nonZero(l2), { ...common, 1: '20', 16: '24', 17: '02' });
  });

  test('parse returns the fields that were built', () => {
    for (const form of [1, 2] as const) {
      const b = buildAvLogin(form, { password: ENR, randomId: h('01020304'), resend: 1, securityMode: 2 });
      const p = parseAvLogin(b);
      assert.equal(p.form, form);
      assert.equal(p.flags, form === 1 ? 1 : 0);
      assert.equal(x(p.randomId), form === 1 ? '01020304' : '02020304');
      assert.equal(p.username, 'admin');
      assert.equal(p.password, ENR);
      assert.equal(p.resend, 1);
      assert.equal(p.securityMode, 2);
      assert.equal(p.capabilities, 0x1f07fb);
    }
  });

  test('a 255-byte password fits; 256 does not', () => {
    assert.equal(parseAvLogin(buildAvLogin(1, { password: 'p'.repeat(255), randomId: new Uint8Array(4) })).password.length, 255);
    assert.throws(() => buildAvLogin(1, { password: 'p'.repeat(256), randomId: new Uint8Array(4) }), RangeError);
  });

  test('malformed logins are rejected', () => {
    const l1 = buildAvLogin(1, { password: ENR, randomId: new Uint8Array(4) });
    const badMagic = Uint8Array.from(l1);
    badMagic[1] = 0x21;
    const badLen = Uint8Array.from(l1);
    badLen[16] = 0x23;
    // A #2 magic on a #1-sized record is too short.
    const wrongForm = Uint8Array.from(l1);
    wrongForm[1] = 0x20;
    for (const b of [new Uint8Array(0), l1.subarray(0, AV_LOGIN1_LENGTH - 1), badMagic, badLen, wrongForm]) {
      assert.throws(() => parseAvLogin(b), TutkParseError);
    }
    assert.equal(parseAvLogin(buildAvLogin(2, { password: ENR, randomId: new Uint8Array(4) })).form, 2);
    assert.equal(AV_LOGIN2_LENGTH - AV_LOGIN1_LENGTH, 2);
  });

  test("backchannel: the client echoes [20-23] of any 24..1024-byte record (FACTS §11.1)", () => {
    const rec = new Uint8Array(24);
    rec.set([9, 8, 7, 6], 20);
    assert.equal(x(backchannelLoginEcho(rec)), '09080706');
    assert.equal(x(backchannelLoginEcho(buildAvLogin(1, { password: ENR, randomId: h('aabbccdd') }))), 'aabbccdd');
    assert.throws(() => backchannelLoginEcho(new Uint8Array(23)), TutkParseError);
    assert.throws(() => backchannelLoginEcho(new Uint8Array(1025)), TutkParseError);
  });
});

describe('AV login response 0x2100 (FACTS §8.2)', () => {
  test('exact 60 bytes (vector av_login_response)', () => {
    assert.equal(x(buildAvLoginResponse(h('289f56ec'), true)), '00210c0010000000000000000000000024000000289f56ec00000000000100010000000004000000fb071f0000000000000000000000030002000000');
  });

  test('two-way audio only when [31] is exactly 1', () => {
    assert.equal(parseAvLoginResponse(buildAvLoginResponse(h('00000000'), true)).twoWayAudio, true);
    assert.equal(parseAvLoginResponse(buildAvLoginResponse(h('00000000'), false)).twoWayAudio, false);
    const b = buildAvLoginResponse(h('00000000'), true);
    b[31] = 2;
    assert.equal(parseAvLoginResponse(b).twoWayAudio, false);
  });

  test('parse: echo and result; a 32-byte record is enough', () => {
    const p = parseAvLoginResponse(buildAvLoginResponse(h('01020304'), true).subarray(0, 32));
    assert.equal(x(p.echo), '01020304');
    assert.equal(p.result, 0x10);
  });

  test('malformed responses are rejected', () => {
    const b = buildAvLoginResponse(h('00000000'), true);
    const bad = Uint8Array.from(b);
    bad[1] = 0x20;
    assert.throws(() => parseAvLoginResponse(b.subarray(0, 31)), TutkParseError);
    assert.throws(() => parseAvLoginResponse(bad), TutkParseError);
  });
});

describe('ACK 0x0009 (FACTS §8.4)', () => {
  test('exact bytes (vectors ack_0009, ack_0009_initial)', () => {
    assert.equal(x(buildAck({ avSeq: 4895, rxStart: 92, rxEnd: 96, count: 143, ms16: 42890 })), '09000c001f1300005c0060008f00000000008f008aa70000');
    assert.equal(x(buildAck({ avSeq: 0, rxStart: 0xffff, rxEnd: 0xffff, count: 1, ms16: 4660 })), '09000c0000000000ffffffff010000000000010034120000');
  });

  test('round trip and malformed', () => {
    const a = { avSeq: 0xfffffffe, rxStart: 1, rxEnd: 65535, count: 65535, ms16: 0 };
    assert.deepEqual(parseAck(buildAck(a)), a);
    assert.throws(() => parseAck(buildAck(a).subarray(0, 23)), TutkParseError);
    const bad = buildAck(a);
    bad[0] = 0x0c;
    assert.throws(() => parseAck(bad), TutkParseError);
  });

  test('window: starts unset, moves only on 0x000c records of 8+ bytes, next ACK starts where this ended', () => {
    const w = new AckWindow();
    const ctl = (s: number, len = 8) => {
      const r = new Uint8Array(len);
      r[0] = 0x0c;
      r[4] = s & 0xff;
      r[5] = s >> 8;
      return r;
    };
    assert.deepEqual(w.take(), { rxStart: RX_UNSET, rxEnd: RX_UNSET });
    w.observe(ctl(5, 7)); // too short
    const other = ctl(9);
    other[0] = 0x05; // media, never counted
    w.observe(other);
    assert.deepEqual(w.take(), { rxStart: RX_UNSET, rxEnd: RX_UNSET });
    w.observe(ctl(92));
    w.observe(ctl(90)); // older: ignored
    assert.deepEqual(w.take(), { rxStart: RX_UNSET, rxEnd: 92 });
    w.observe(ctl(96));
    assert.deepEqual(w.take(), { rxStart: 92, rxEnd: 96 });
    assert.deepEqual(w.take(), { rxStart: 96, rxEnd: 96 });
    // A wrapped sequence only catches up through 0xFFFF (the go2rtc artefact FACTS §8.4 keeps).
    w.observe(ctl(3));
    assert.deepEqual(w.take(), { rxStart: 96, rxEnd: 96 });
  });
});
