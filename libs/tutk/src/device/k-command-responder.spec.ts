import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHl } from '../av/hl';
import { parseIoctrlFrame } from '../av/ioctrl';
import { KCmd, buildK10000, buildKReply } from '../av/k-commands';
import { deriveCameraKeys } from '../credentials/camera-keys';
import { ParseDropCounter } from '../session/drops';
import { SessionState } from './camera-state';
import type { DeviceCounters } from './device-types';
import type { KCommandContext, KCommandHandler } from './k-command-handlers';
import { KCommandResponder } from './k-command-responder';

function responder(handlers?: ReadonlyMap<number, KCommandHandler>) {
  const counters = { ioctrlRequests: 0, ioctrlDuplicates: 0, authAccepted: 0, authRefused: 0 } as DeviceCounters;
  const drops = new ParseDropCounter();
  const sent: Uint8Array[] = [];
  const ctx: KCommandContext = {
    camera: { mac: 'aabbccddeeff', model: 'HL_CAM4', firmware: '4.52.9.4188', authStatus: 3, authKeys: deriveCameraKeys('testENRkey0123456789abcdefABCDEF', 'TESTUID1234567890ABC', 'aabbccddeeff') },
    session: new SessionState(),
    counters,
    startStreaming: () => {},
    switchQuality: () => {},
    startBackchannel: () => {},
    stopBackchannel: () => {},
  };
  return { r: new KCommandResponder(ctx, counters, drops, (f) => sent.push(f), handlers), counters, drops, sent, ctx };
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
