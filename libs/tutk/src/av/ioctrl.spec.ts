import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { classifyAvRecord, isCommandRecord } from './demux';
import { buildHl, parseHl } from './hl';
import { buildIoctrlFrame, findHl, parseIoctrlFrame } from './ioctrl';
import { buildK10000, buildK10001, parseK10001 } from './k-commands';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('HL header (FACTS §8.7)', () => {
  test('build: "HL", u16 version 5, u16 command, u32 length', () => {
    assert.equal(x(buildHl(10010, Uint8Array.of(3, 1))), '484c05001a27020000000000000000000301');
    assert.equal(x(buildHl(10011)), '484c05001b2700000000000000000000');
  });

  test('parse honours the length and ignores trailing bytes', () => {
    const m = parseHl(Uint8Array.of(...buildHl(10057, Uint8Array.of(1)), 0, 0xaa));
    assert.equal(m.cmd, 10057);
    assert.equal(m.version, 5);
    assert.equal(m.length, 1);
    assert.deepEqual(m.payload, Uint8Array.of(1));
    assert.equal(m.truncated, false);
  });

  test('reads a u32 length, falling back to the u16 when [8-9] are not part of it', () => {
    const b = buildHl(10003, new Uint8Array(70_000));
    assert.equal(parseHl(b).length, 70_000);
    const junk = buildHl(10003, new Uint8Array(5));
    junk[8] = 0x11;
    assert.equal(parseHl(junk).length, 5);
  });

  test('a length past the end is cut and flagged', () => {
    const b = buildHl(10001, new Uint8Array(17)).subarray(0, 20);
    const m = parseHl(b);
    assert.equal(m.truncated, true);
    assert.equal(m.payload.length, 4);
  });

  test('malformed HL', () => {
    assert.throws(() => parseHl(new Uint8Array(15)), TutkParseError);
    const b = buildHl(10000);
    b[1] = 0x4d;
    assert.throws(() => parseHl(b), TutkParseError);
  });
});

describe('IOCTRL frames (FACTS §8.5, §8.6)', () => {
  test('client frame around K10000: exact bytes (vector ioctrl_k10000)', () => {
    assert.equal(
      x(buildIoctrlFrame({ avSeq: 52, cmdSeq: 13, hl: buildK10000() })),
      '0c000c0034000000000000000000000000700d0001000000450000000d0000000000000000010000' + x(buildK10000()),
    );
  });

  test('camera shape differs only in [2-3]', () => {
    const hl = buildK10001({ status: 3, challenge: new Uint8Array(16).fill(9) });
    const c = buildIoctrlFrame({ avSeq: 7, cmdSeq: 1, hl });
    const d = buildIoctrlFrame({ avSeq: 7, cmdSeq: 1, hl, from: 'camera' });
    assert.equal(d[2], 0x0b);
    d[2] = 0x0c;
    assert.deepEqual(d, c);
  });

  test('camera K10001 in a bare 0x7000 frame, HL at 36 (vector ioctrl_parse_camera_k10001)', () => {
    const f = parseIoctrlFrame(h('00700b002200000000700100010000002500000001000000000000000000000000010000484c08001127110000000000000000000344555e468419de20cf11c7452855edfc'));
    assert.equal(f.magic, 0x7000);
    assert.equal(f.avSeq, undefined);
    assert.equal(f.hlOffset, 36);
    assert.equal(f.hl.cmd, 10001);
    assert.equal(f.hl.version, 8);
    const k = parseK10001(f.hl);
    assert.equal(k.status, 3);
    assert.equal(x(k.challenge), '44555e468419de20cf11c7452855edfc');
  });

  test('round trip both directions; 0x000c frames report their sequence', () => {
    for (const from of ['client', 'camera'] as const) {
      const hl = buildK10001({ status: 1, challenge: new Uint8Array(16).fill(1) });
      const f = parseIoctrlFrame(buildIoctrlFrame({ avSeq: 0x01020304, cmdSeq: 2, hl, from }));
      assert.equal(f.hlOffset, 40);
      assert.equal(f.avSeq, 0x01020304);
      assert.deepEqual(f.hl.raw, hl);
    }
  });

  test('search rule: first HL at >= 32 with 16 bytes after it', () => {
    const rec = new Uint8Array(80);
    rec.set([0x00, 0x70]);
    rec.set([0x48, 0x4c], 10); // before 32: ignored
    rec.set([0x48, 0x4c], 40);
    rec.set([0x48, 0x4c], 50);
    assert.equal(findHl(rec), 40);
    // An HL with 15 bytes after it does not count.
    const short = new Uint8Array(50);
    short.set([0x48, 0x4c], 35);
    assert.equal(findHl(short), -1);
    short.set([0x48, 0x4c], 34);
    assert.equal(findHl(short), 34);
  });

  test('malformed: other magics, no HL', () => {
    const login = new Uint8Array(60);
    login.set([0x00, 0x21]);
    login.set(buildHl(10001), 40);
    assert.throws(() => parseIoctrlFrame(login), (e) => e instanceof TutkParseError && e.reason === 'bad-magic');
    assert.throws(() => parseIoctrlFrame(Uint8Array.of(0x0c, 0, 0, 0)), (e) => e instanceof TutkParseError && e.reason === 'no-hl');
    assert.throws(() => parseIoctrlFrame(Uint8Array.of(0x0c)), TutkParseError);
  });
});

describe('channel-0 demultiplexing (FACTS §8.1)', () => {
  test('routes by the first two bytes', () => {
    const r = (...b: number[]) => Uint8Array.from(b);
    assert.deepEqual(
      [r(0x00, 0x21), r(0x00, 0x70), r(0x00, 0x10), r(0x0c, 0x00), r(0x09, 0x00), r(0x05, 0x08), r(0x03, 0x09), r(0x07, 0x01), r(0x06, 0x00), r(0x05)].map(classifyAvRecord),
      ['login-response', 'ioctrl', 'channel-message', 'control', 'ack', 'media', 'media', 'media', 'unknown', 'unknown'],
    );
    assert.deepEqual(
      (['login-response', 'ioctrl', 'channel-message', 'control', 'ack', 'media', 'unknown'] as const).map(isCommandRecord),
      [true, true, true, true, false, false, false],
    );
  });
});
