import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { buildHl } from './hl';
import {
  KCmd,
  KMedia,
  buildK10000,
  buildK10001,
  buildK10002,
  buildK10003,
  buildK10010,
  buildK10052,
  buildK10056,
  buildKReply,
  k10003Json,
  parseK10000,
  parseK10001,
  parseK10002,
  parseK10003,
  parseK10010,
  parseK10052,
  parseK10056,
  parseKReply,
} from './k-commands';
import { FrameSize, resolutionCommand } from './resolution';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');
const hl = (cmd: number, payload: string) => buildHl(cmd, Buffer.from(payload, 'latin1'));

describe('K-commands (FACTS §9)', () => {
  test('K10000: go2rtc JSON, 65 bytes; any payload parses', () => {
    const b = buildK10000();
    assert.equal(x(b), '484c05001027310000000000000000007b2263616d657261496e666f223a7b22617564696f456e636f6465724c697374223a5b3133372c3133382c3134305d7d7d');
    assert.equal(b.length, 65);
    assert.equal(parseK10000(b).json, '{"cameraInfo":{"audioEncoderList":[137,138,140]}}');
    assert.equal(parseK10000(buildHl(KCmd.AuthRequest)).json, '');
  });

  test('K10001: status and challenge, read to the end of the record whatever the length says', () => {
    const challenge = h('44555e468419de20cf11c7452855edfc');
    const b = buildK10001({ status: 6, challenge });
    assert.equal(b.length, 33);
    assert.equal(b[6], 17);
    assert.deepEqual(parseK10001(b), { status: 6, challenge });
    b[6] = 0;
    assert.deepEqual(parseK10001(b), { status: 6, challenge });
    assert.throws(() => parseK10001(b.subarray(0, 32)), TutkParseError);
  });

  test('K10002: exact bytes (vector k10002) and parse', () => {
    const f = { response: h('d880e8a2249a27171ab2cf20817b65ef'), sessionId: h('fa57ef7d'), video: true, audio: true };
    const b = buildK10002(f);
    assert.equal(x(b), '484c0500122716000000000000000000d880e8a2249a27171ab2cf20817b65effa57ef7d0101');
    assert.deepEqual(parseK10002(b), f);
    assert.deepEqual(parseK10002(buildK10002({ ...f, audio: false })).audio, false);
    assert.throws(() => parseK10002(hl(KCmd.ChallengeResponse, 'x'.repeat(21))), TutkParseError);
  });

  test('K10003: the camera spelling channelResquestResult, connectionRes', () => {
    const b = buildK10003(k10003Json({ connectionRes: '1', audio: false, video: true, basicInfo: { model: 'HL_CAM4', mac: 'AABBCCDDEEFF' } }));
    assert.ok(Buffer.from(b).toString('latin1').includes('"channelResquestResult"'));
    const p = parseK10003(b);
    assert.equal(p.authenticated, true);
    assert.equal(p.wrongKey, false);
    assert.equal(p.audio, false);
    assert.equal(p.video, true);
    assert.equal(p.basicInfo?.model, 'HL_CAM4');
    // Nothing follows the JSON (FACTS §9.3).
    assert.equal(b[b.length - 1], 0x7d);
  });

  test('K10003: "2" means wrong key; the correct spelling is the fallback; trailing NUL tolerated', () => {
    const p = parseK10003(hl(KCmd.AuthResult, '{"connectionRes":"2","cameraInfo":{"channelRequestResult":{"audio":"0","video":"1"}}}\0'));
    assert.equal(p.authenticated, false);
    assert.equal(p.wrongKey, true);
    assert.equal(p.audio, false);
    const q = parseK10003(hl(KCmd.AuthResult, '{"connectionRes":"1"}'));
    assert.equal(q.audio, undefined);
    assert.equal(q.authenticated, true);
  });

  test('K10003: exactly `length` bytes are parsed; trailing bytes beyond it are ignored', () => {
    const json = '{"connectionRes":"1"}';
    const b = Uint8Array.of(...hl(KCmd.AuthResult, json), 0x00, 0x41, 0x42);
    assert.equal(parseK10003(b).authenticated, true);
  });

  test('K10003: malformed JSON, non-object, empty', () => {
    for (const bad of ['{"connectionRes":', '[1,2]', '"1"', '']) {
      assert.throws(() => parseK10003(hl(KCmd.AuthResult, bad)), TutkParseError);
    }
  });

  test('K10010 start/stop per media, incl. intercom (vectors k10010_*)', () => {
    assert.equal(x(buildK10010({ media: KMedia.ReturnAudio, enable: true })), '484c05001a27020000000000000000000301');
    assert.equal(x(buildK10010({ media: KMedia.ReturnAudio, enable: false })), '484c05001a27020000000000000000000302');
    for (const media of [1, 2, 3, 4]) for (const enable of [true, false]) assert.deepEqual(parseK10010(buildK10010({ media, enable })), { media, enable });
    assert.throws(() => parseK10010(buildHl(KCmd.ControlChannel, Uint8Array.of(1, 0))), TutkParseError);
    assert.throws(() => parseK10010(buildHl(KCmd.ControlChannel, Uint8Array.of(1))), TutkParseError);
  });

  test('K10056 (vector k10056) and the SDK 3-byte form', () => {
    const b = buildK10056({ frameSize: 3, bitrate: 240, fps: 0 });
    assert.equal(x(b), '484c050048270500000000000000000004f0000000');
    assert.deepEqual(parseK10056(b), { frameSize: 3, bitrate: 240, fps: 0 });
    assert.deepEqual(parseK10056(buildHl(KCmd.SetResolution, Uint8Array.of(2, 60, 15))), { frameSize: 1, bitrate: 60, fps: 15 });
    assert.throws(() => parseK10056(buildHl(KCmd.SetResolution, Uint8Array.of(0, 60, 15))), TutkParseError);
  });

  test('K10052 (vector k10052): bitrate before frame size', () => {
    const b = buildK10052({ frameSize: 0, bitrate: 240, fps: 0 });
    assert.equal(x(b), '484c0500442706000000000000000000f00001000000');
    assert.deepEqual(parseK10052(buildK10052({ frameSize: 4, bitrate: 60, fps: 20 })), { frameSize: 4, bitrate: 60, fps: 20 });
  });

  test('replies K10011/K10053/K10057: one byte 01; only the command matters', () => {
    for (const cmd of [KCmd.ControlChannelReply, KCmd.SetResolutionDoorbellReply, KCmd.SetResolutionReply]) {
      assert.deepEqual(parseKReply(buildKReply(cmd), cmd), { result: 1 });
      assert.deepEqual(parseKReply(buildHl(cmd), cmd), { result: undefined });
    }
  });

  test('a parser given another command refuses it', () => {
    assert.throws(() => parseK10001(buildK10000()), (e) => e instanceof TutkParseError && e.reason === 'bad-cmd');
    assert.throws(() => parseKReply(buildKReply(KCmd.SetResolutionReply), KCmd.ControlChannelReply), TutkParseError);
  });
});

describe('resolution command by model (FACTS §9.1)', () => {
  test('doorbells get K10052, others K10056', () => {
    for (const model of ['WYZEDB3', 'WVOD1', 'HL_WCO2', 'WYZEC1']) assert.equal(resolutionCommand(model, 'hd').cmd, KCmd.SetResolutionDoorbell);
    for (const model of ['HL_CAM4', 'WYZE_CAKP2JFUS', 'HL_CFL2']) assert.equal(resolutionCommand(model, 'hd').cmd, KCmd.SetResolution);
    assert.equal(resolutionCommand('WYZEDB3', 'hd').reply, KCmd.SetResolutionDoorbellReply);
    assert.equal(resolutionCommand('HL_CAM4', 'hd').reply, KCmd.SetResolutionReply);
  });

  test('"hd" is 2K on HL_CAM3P/HL_PANP/HL_CAM4/HL_DB2, floodlight on HL_CFL2, else 1080P; "sd" is 360P at 60', () => {
    assert.deepEqual(
      ['HL_CAM3P', 'HL_PANP', 'HL_CAM4', 'HL_DB2', 'HL_CFL2', 'WYZE_CAKP2JFUS', 'WYZEDB3'].map((m) => resolutionCommand(m, 'hd').request.frameSize),
      [FrameSize.K2, FrameSize.K2, FrameSize.K2, FrameSize.K2, FrameSize.Floodlight, FrameSize.P1080, FrameSize.P1080],
    );
    assert.deepEqual(resolutionCommand('HL_CAM4', 'sd').request, { frameSize: 1, bitrate: 60, fps: 0 });
    assert.equal(x(resolutionCommand('HL_CAM4', 'hd').hl), '484c050048270500000000000000000004f0000000');
    assert.equal(x(resolutionCommand('WYZEDB3', 'hd').hl), '484c0500442706000000000000000000f00001000000');
    assert.equal(resolutionCommand('HL_CAM4', 2).request.frameSize, 2);
    assert.throws(() => resolutionCommand('HL_CAM4', -1), RangeError);
  });
});
