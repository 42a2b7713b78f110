import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHl } from '../av/hl';
import { parseIoctrlFrame } from '../av/ioctrl';
import { KCmd, buildK10000, buildK10002, buildKReply, parseK10001, parseK10003, type K10003 } from '../av/k-commands';
import { kauthDecrypt } from '../av/kauth';
import { deriveCameraKeys } from '../credentials/camera-keys';
import { ParseDropCounter } from '../session/drops';
import { SessionState } from './camera-state';
import { CameraControlState } from './control-state';
import type { DeviceCounters } from './device-types';
import type { KCommandContext, KCommandHandler } from './k-command-handlers';
import { KCommandResponder } from './k-command-responder';

function responder(handlers?: ReadonlyMap<number, KCommandHandler>, hasAudio = true) {
  const counters = { ioctrlRequests: 0, ioctrlDuplicates: 0, authAccepted: 0, authRefused: 0, controlsRefused: 0 } as DeviceCounters;
  const drops = new ParseDropCounter();
  const sent: Uint8Array[] = [];
  const ctx: KCommandContext = {
    camera: { mac: 'aabbccddeeff', model: 'HL_CAM4', firmware: '4.52.9.4188', authStatus: 3, authKeys: deriveCameraKeys('testENRkey0123456789abcdefABCDEF', 'TESTUID1234567890ABC', 'aabbccddeeff'), controls: new CameraControlState(), accessories: new Set() },
    session: new SessionState(),
    counters,
    clock: { nowMs: () => Date.now(), set: () => {} },
    hasAudio: () => hasAudio,
    startStreaming: () => {},
    switchQuality: () => {},
    startBackchannel: () => {},
    stopBackchannel: () => {},
  };
  return { r: new KCommandResponder(ctx, counters, drops, (f) => sent.push(f), handlers), counters, drops, sent, ctx };
}

/** K10000 → K10001, the right K10002 → the K10003 our client reads. */
function kauthResult(hasAudio: boolean, askAudio: boolean): K10003 {
  const { r, sent, ctx } = responder(undefined, hasAudio);
  r.handle(0, parseHl(buildK10000()));
  const challenge = parseK10001(parseIoctrlFrame(sent[0]).hl);
  const response = kauthDecrypt(ctx.camera.authKeys.kauthKeys.get(challenge.status)!, challenge.challenge);
  r.handle(1, parseHl(buildK10002({ response, sessionId: new Uint8Array(4), video: true, audio: askAudio })));
  return parseK10003(parseIoctrlFrame(sent[1]).hl);
}

describe('K-command responder', () => {
  test('a resend of the same cmdSeq gets the very same reply bytes, and the handler runs once', () => {
    const { r, counters, sent, ctx } = responder();
    r.handle(7, parseHl(buildK10000()));
    const secret = ctx.session.secret;
    r.handle(7, parseHl(buildK10000()));
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1], sent[0]);
    assert.equal(ctx.session.secret, secret);
    assert.deepEqual([counters.ioctrlRequests, counters.ioctrlDuplicates], [2, 1]);
    assert.equal(parseIoctrlFrame(sent[0]).hl.cmd, KCmd.Challenge);
  });

  for (const hasAudio of [false, true]) {
    test(`K10003 says audio "${hasAudio ? 1 : 0}" for a camera ${hasAudio ? 'with' : 'without'} an audio source (FACTS §9.3)`, () => {
      const k10003 = kauthResult(hasAudio, true);
      assert.equal(k10003.authenticated, true);
      // The cameras' spelling, which our client reads first (FACTS §9.3).
      assert.deepEqual((k10003.json as { cameraInfo: Record<string, unknown> }).cameraInfo.channelResquestResult, { audio: hasAudio ? '1' : '0', video: '1' });
      assert.equal(k10003.audio, hasAudio);
      assert.equal(k10003.video, true);
    });
  }

  test('K10003 reports audio off when the client did not ask for it', () => {
    assert.equal(kauthResult(true, false).audio, false);
  });

  test('a command with no handler is counted and left unanswered', () => {
    const { r, drops, sent } = responder();
    r.handle(1, parseHl(buildKReply(12345)));
    assert.equal(sent.length, 0);
    assert.equal(drops.snapshot()['hl:unknown-command'], 1);
  });

  test('a new command is one more row in the table; its effect runs after the reply is sent', () => {
    const order: string[] = [];
    const handlers = new Map<number, KCommandHandler>([[12345, () => ({ reply: buildKReply(12346), then: () => order.push('effect') })]]);
    const { r, sent } = responder(handlers);
    const send = sent.push.bind(sent);
    sent.push = (...f: Uint8Array[]) => (order.push('reply'), send(...f));
    r.handle(1, parseHl(buildKReply(12345)));
    assert.deepEqual(order, ['reply', 'effect']);
    assert.equal(parseIoctrlFrame(sent[0]).hl.cmd, 12346);
  });
});
