import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { TutkParseError } from '../wire/parse-error';
import { parseHl } from './hl';
import {
  KControlCmd,
  KState,
  buildK10020,
  buildK10021,
  buildK10051,
  buildK10302,
  buildKDone,
  buildKGet,
  buildKSiren,
  buildKState,
  buildKUnixTime,
  parseK10020,
  parseK10021,
  parseK10051,
  parseK10302,
  parseKDone,
  parseKSiren,
  parseKState,
  parseKUnixTime,
} from './k-controls';
import { KPtzCmd, buildK11000, buildK11002, buildK11018, buildKCruisePoints, parseK11000, parseK11002, parseK11018, parseKCruisePoints } from './k-ptz';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** The 16-byte HL header go2rtc writes (FACTS §8.7): HL, version 5, command, u32 length, zeros. */
const header = (cmd: number, len: number) => `484c0500${Buffer.from(Uint16Array.of(cmd).buffer).toString('hex')}${Buffer.from(Uint32Array.of(len).buffer).toString('hex')}000000000000`;
const parseError = (reason: string) => (e: unknown) => e instanceof TutkParseError && e.reason === reason;

describe('control K-commands (tutk_protocol.py layouts)', () => {
  test('a get is the bare header; a state set is one byte; night vision takes 3 for auto', () => {
    assert.equal(hex(buildKGet(KControlCmd.GetNightVision)), header(10040, 0));
    assert.equal(hex(buildKState(KControlCmd.SetNightVision, KState.Auto, 3)), header(10042, 1) + '03');
    assert.equal(parseKState(buildKState(KControlCmd.SetNightVision, 3, 3), KControlCmd.SetNightVision, 3), 3);
    assert.equal(hex(buildKState(KControlCmd.SetStatusLight, KState.Off)), header(10032, 1) + '02');
    assert.throws(() => buildKState(KControlCmd.SetStatusLight, 3), RangeError);
  });

  test('a state outside 1..max, a wrong command or a missing byte is malformed', () => {
    assert.throws(() => parseKState(parseHl(buildKDone(10033, 3)), 10033), parseError('bad-value'));
    assert.throws(() => parseKState(parseHl(buildKDone(10033, 0)), 10033), parseError('bad-value'));
    assert.throws(() => parseKState(parseHl(buildKGet(10041)), 10041), parseError('short'));
    assert.throws(() => parseKState(buildKState(10041, 1), 10031), parseError('bad-cmd'));
  });

  test('siren: the value twice (K10630SetAlarmFlashing), read from the first byte', () => {
    assert.equal(hex(buildKSiren(KControlCmd.SetSiren, KState.On)), header(10630, 2) + '0101');
    assert.equal(parseKSiren(buildKSiren(10633, KState.Off), 10633), KState.Off);
  });

  test('done: 01 and an empty reply both acknowledge; anything else does not', () => {
    assert.equal(parseKDone(buildKDone(10043), 10043), true);
    assert.equal(parseKDone(buildKGet(10043), 10043), true);
    assert.equal(parseKDone(buildKDone(10043, 2), 10043), false);
  });

  test('camera time: u32 LE Unix seconds both ways', () => {
    assert.equal(hex(buildKUnixTime(KControlCmd.SetCameraTime, 0x6a00_0102)), header(10092, 4) + '0201006a');
    assert.equal(parseKUnixTime(buildKUnixTime(10091, 1_790_000_000), 10091), 1_790_000_000);
    assert.throws(() => parseKUnixTime(buildKDone(10091), 10091), parseError('short'));
    assert.throws(() => buildKUnixTime(10092, -1), RangeError);
  });

  test('time zone: a signed byte -11..13', () => {
    assert.equal(hex(buildK10302(-5)), header(10302, 1) + 'fb');
    assert.equal(parseK10302(buildK10302(-11)), -11);
    assert.equal(parseK10302(buildK10302(13)), 13);
    assert.throws(() => buildK10302(14), RangeError);
    assert.throws(() => parseK10302(parseHl(buildKDone(10302, 0xf0))), parseError('bad-value'));
  });

  test('K10020 lists ids after their count; K10021 is JSON keyed by id, numbers or strings, NUL-tolerant', () => {
    assert.equal(hex(buildK10020([22])), header(10020, 2) + '0116');
    assert.deepEqual(parseK10020(buildK10020([3, 5, 22])), [3, 5, 22]);
    assert.throws(() => parseK10020(parseHl(Buffer.from(header(10020, 2) + '0316', 'hex'))), parseError('short'));
    assert.deepEqual(parseK10021(buildK10021({ 22: '-5', 3: 120 })), { '3': '120', '22': '-5' });
    const withNul = Buffer.concat([Buffer.from(header(10021, 12), 'hex'), Buffer.from('{"22":"8"}\0\0')]);
    assert.deepEqual(parseK10021(withNul), { '22': '8' });
    assert.throws(() => parseK10021(Buffer.concat([Buffer.from(header(10021, 2), 'hex'), Buffer.from('[]')])), parseError('bad-json'));
  });

  test('K10051: u16 bitrate, frame size + 1, fps, flips (K10050GetVideoParam, K10052 layout)', () => {
    const v = { bitrate: 240, frameSize: 4, fps: 20, horizontalFlip: 2, verticalFlip: 1 };
    assert.equal(hex(buildK10051(v)), header(10051, 6) + 'f00004140201');
    assert.deepEqual(parseK10051(buildK10051(v)), v);
  });
});

describe('PTZ K-commands', () => {
  test('K11000: i16 horizontal, i16 vertical, speed (pack "<hhB")', () => {
    const hl = buildK11000({ horizontal: -90, vertical: 10, speed: 5 });
    assert.equal(hex(hl), header(11000, 5) + 'a6ff0a0005');
    assert.deepEqual(parseK11000(hl), { horizontal: -90, vertical: 10, speed: 5 });
    // wyzecam replaces a speed outside 1..9 with 5; the camera side reads such a byte the same way.
    assert.equal(parseK11000(Buffer.from(header(11000, 5) + '0000000000', 'hex')).speed, 5);
  });

  test('K11002: direction bytes and speed; a direction above 2 is malformed', () => {
    assert.equal(hex(buildK11002({ horizontal: 1, vertical: 0, speed: 5 })), header(11002, 3) + '010005');
    assert.deepEqual(parseK11002(buildK11002({ horizontal: 0, vertical: 2, speed: 9 })), { horizontal: 0, vertical: 2, speed: 9 });
    assert.throws(() => parseK11002(Buffer.from(header(11002, 3) + '030005', 'hex')), parseError('bad-value'));
  });

  test('K11018: u32 stamp, u8 vertical, u16 horizontal (pack "<IBH"); out of range is malformed', () => {
    const hl = buildK11018({ stamp: 123_456_789, vertical: 30, horizontal: 300 });
    assert.equal(hex(hl), header(11018, 7) + '15cd5b071e2c01');
    assert.deepEqual(parseK11018(hl), { stamp: 123_456_789, vertical: 30, horizontal: 300 });
    assert.throws(() => buildK11018({ stamp: 0, vertical: 41, horizontal: 0 }), RangeError);
    assert.throws(() => parseK11018(Buffer.from(header(11018, 7) + '00000000296400', 'hex')), parseError('bad-value'));
  });

  test('cruise points: count then [vertical, horizontal, wait, blank] each; a short list is malformed', () => {
    const points = [
      { vertical: 10, horizontal: 20, waitSeconds: 10, blank: 0 },
      { vertical: 0, horizontal: 255, waitSeconds: 30, blank: 0 },
    ];
    const hl = buildKCruisePoints(KPtzCmd.SetCruisePoints, points);
    assert.equal(hex(hl), header(11012, 9) + '02' + '0a140a00' + '00ff1e00');
    assert.deepEqual(parseKCruisePoints(hl, KPtzCmd.SetCruisePoints), points);
    assert.throws(() => parseKCruisePoints(Buffer.from(header(11011, 4) + '020a140a', 'hex'), 11011), parseError('short'));
    assert.throws(() => buildKCruisePoints(11012, [{ vertical: 0, horizontal: 256, waitSeconds: 10, blank: 0 }]), RangeError);
  });
});

describe('control parsers only ever throw TutkParseError', () => {
  test('fuzzed replies and requests', () => {
    const seeds: [(b: Uint8Array) => unknown, Uint8Array][] = [
      [(b) => parseKState(b, 10041, 3), buildKState(10041, 3, 3)],
      [(b) => parseKSiren(b, 10633), buildKSiren(10633, 1)],
      [(b) => parseKUnixTime(b, 10091), buildKUnixTime(10091, 1_790_000_000)],
      [parseK10302, buildK10302(-3)],
      [parseK10020, buildK10020([1, 3, 22])],
      [parseK10021, buildK10021({ 22: '1' })],
      [parseK10051, buildK10051({ bitrate: 60, frameSize: 2, fps: 15, horizontalFlip: 2, verticalFlip: 2 })],
      [parseK11000, buildK11000({ horizontal: 10, vertical: -10, speed: 3 })],
      [parseK11002, buildK11002({ horizontal: 2, vertical: 1, speed: 5 })],
      [parseK11018, buildK11018({ stamp: 1, vertical: 1, horizontal: 1 })],
      [(b) => parseKCruisePoints(b, 11011), buildKCruisePoints(11011, [{ vertical: 1, horizontal: 2, waitSeconds: 10, blank: 0 }])],
    ];
    seeds.forEach(([parse, seed], i) => fuzzParser(parse, [seed], Math.ceil(FUZZ_INPUTS / 4), 100 + i));
  });
});
