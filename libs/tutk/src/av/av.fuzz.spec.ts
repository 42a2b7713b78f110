import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { TutkParseError } from '../wire/parse-error';
import { buildAck, parseAck } from './ack';
import { buildHl, parseHl } from './hl';
import { buildIoctrlFrame, parseIoctrlFrame } from './ioctrl';
import {
  KCmd,
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
import { backchannelLoginEcho, buildAvLoginPair, parseAvLogin } from './login';
import { buildAvLoginResponse, parseAvLoginResponse } from './login-response';

const N = FUZZ_INPUTS;
const hls = [
  buildK10000(),
  buildK10001({ status: 3, challenge: new Uint8Array(16).fill(7) }),
  buildK10002({ response: new Uint8Array(16).fill(1), sessionId: Uint8Array.of(1, 2, 3, 4), video: true, audio: true }),
  buildK10003(k10003Json({ connectionRes: '1', audio: true, video: true, basicInfo: { model: 'HL_CAM4' } })),
  buildK10010({ media: 3, enable: true }),
  buildK10056({ frameSize: 3, bitrate: 240, fps: 0 }),
  buildK10052({ frameSize: 0, bitrate: 240, fps: 0 }),
  buildKReply(KCmd.SetResolutionReply),
  buildHl(KCmd.AuthResult, new Uint8Array(0)),
];
const frames = hls.flatMap((hl, i) => [buildIoctrlFrame({ avSeq: i, cmdSeq: i, hl }), buildIoctrlFrame({ avSeq: i, cmdSeq: i, hl, from: 'camera' })]);

describe('AV parsers only ever throw TutkParseError', () => {
  test('AV login, login response, backchannel login, ACK', () => {
    const logins = buildAvLoginPair({ password: '4J4tcWsFKsKZB38O', randomId: Uint8Array.of(1, 2, 3, 4) });
    const rejected = fuzzParser(parseAvLogin, logins, N, 1);
    assert.ok(rejected > 0 && rejected < N);
    fuzzParser(parseAvLoginResponse, [buildAvLoginResponse(Uint8Array.of(1, 2, 3, 4), true)], N, 2);
    fuzzParser(backchannelLoginEcho, logins, N, 3);
    fuzzParser(parseAck, [buildAck({ avSeq: 1, rxStart: 2, rxEnd: 3, count: 4, ms16: 5 })], N, 4);
  });

  test('HL and IOCTRL', () => {
    fuzzParser(parseHl, hls, N, 5);
    const rejected = fuzzParser(parseIoctrlFrame, frames, N, 6);
    assert.ok(rejected > 0 && rejected < N);
  });

  test('K-commands, on bare HL messages and inside IOCTRL frames', () => {
    const parsers = [
      parseK10000,
      parseK10001,
      parseK10002,
      parseK10003,
      parseK10010,
      parseK10056,
      parseK10052,
      (m: Uint8Array) => parseKReply(m, KCmd.SetResolutionReply),
    ];
    // One mixed run: every parser sees every kind of mutated HL, including its own.
    fuzzParser(
      (b) => {
        for (const parse of parsers) {
          try {
            parse(b);
          } catch (e) {
            if (!(e instanceof TutkParseError)) throw e;
          }
        }
        const f = parseIoctrlFrame(b);
        for (const parse of parsers) {
          try {
            parse(f.hl.raw);
          } catch (e) {
            if (!(e instanceof TutkParseError)) throw e;
          }
        }
      },
      [...hls, ...frames],
      N,
      7,
    );
  });
});
