// The bounded wait (maxWaitMs): a missing packet or frame is waited for, so a retransmission can still
// complete it, but only for so long; then it is lost, P-frames wait for the next keyframe, and that keyframe
// says footage was lost before it (Frame.afterLoss).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameAssembler, type Frame } from './assembler';
import { MediaChannel } from './codecs';
import { feed, assertAccounted, assertIdentical, key, ofKind } from '../testing/frame-assertions';
import { makeStream } from '../testing/synthetic-stream';

/** An assembler whose clock a test moves by hand. */
function timed(maxWaitMs: number | undefined) {
  const clock = { ms: 0 };
  const a = new FrameAssembler({ maxWaitMs, now: () => clock.ms, maxHeldFrames: 64, maxInFlightPerChannel: 16 });
  return { a, clock };
}

const video = (s: ReturnType<typeof makeStream>) => s.filter((f) => f.channel !== MediaChannel.Audio);

/** expire(), then whatever it released. */
function expired(a: FrameAssembler): Frame[] {
  a.expire();
  const out: Frame[] = [];
  for (let f = a.pull(); f; f = a.pull()) out.push(f);
  return out;
}

describe('FrameAssembler: bounded wait', () => {
  const stream = makeStream(41, 3, 10);
  const v = video(stream);
  // A multi-packet P-frame in the first GOP, and its last packet.
  const victim = v.find((f, i) => i > 2 && i < 9 && f.channel === MediaChannel.PFrame && f.packets.length > 1)!;
  const missing = victim.packets[victim.packets.length - 1];
  const without = stream.flatMap((s) => s.packets).filter((p) => p !== missing);

  test('a packet that comes back within the wait completes its frame: every frame out, in order, nothing lost', () => {
    const { a, clock } = timed(400);
    const cut = without.indexOf(v[v.indexOf(victim) + 3].packets[0]);
    const frames = feed(a, without.slice(0, cut));
    assert.ok(!frames.some((f) => f.kind === 'video' && f.packetFrameNo >= victim.packetFrameNo), 'frames after the gap wait');
    clock.ms = 399;
    a.expire();
    frames.push(...feed(a, [missing, ...without.slice(cut)]));
    assert.deepEqual(ofKind(frames, 'video').map(key), v.map(key));
    assertIdentical(stream, frames);
    assert.equal(a.stats.framesDropped.expired, 0);
    assert.ok(!frames.some((f) => f.afterLoss));
  });

  test('past the wait the frame expires: P-frames wait for the next keyframe, which is marked afterLoss', () => {
    const { a, clock } = timed(400);
    const cut = without.indexOf(v[v.indexOf(victim) + 3].packets[0]);
    const frames = feed(a, without.slice(0, cut));
    clock.ms = 401;
    assert.equal(feed(a, [without[cut]]).length, 0, 'a push alone gives nothing up: expire() does');
    frames.push(...expired(a), ...feed(a, without.slice(cut + 1)));
    const nextKey = v.find((f) => f.packetFrameNo > victim.packetFrameNo && f.channel === MediaChannel.IFrame)!;
    const expected = v.filter((f) => f.packetFrameNo < victim.packetFrameNo || f.packetFrameNo >= nextKey.packetFrameNo);
    assert.deepEqual(ofKind(frames, 'video').map(key), expected.map(key));
    assert.equal(a.stats.framesDropped.expired, 1);
    const withheld = nextKey.packetFrameNo - victim.packetFrameNo - 1;
    assert.equal(a.stats.loss.framesWithheld, withheld);
    assert.equal(a.stats.loss.resumes, 1);
    assert.deepEqual(frames.filter((f) => f.afterLoss).map(key), [key(nextKey)]);
    assertAccounted(a);
  });

  test('without maxWaitMs nothing expires with time (only the count caps end a wait)', () => {
    const { a, clock } = timed(undefined);
    const cut = without.indexOf(v[v.indexOf(victim) + 3].packets[0]);
    feed(a, without.slice(0, cut));
    clock.ms = 1e9;
    a.expire();
    assert.equal(a.stats.framesDropped.expired, 0);
    assert.equal(a.pull(), undefined);
  });

  test('a frame of which nothing came: the frames behind it wait, then give it up and count it missing', () => {
    const { a, clock } = timed(300);
    const gone = new Set(victim.packets);
    const rest = stream.flatMap((s) => s.packets).filter((p) => !gone.has(p));
    const cut = rest.indexOf(v[v.indexOf(victim) + 2].packets[0]);
    const frames = feed(a, rest.slice(0, cut));
    assert.ok(!frames.some((f) => f.kind === 'video' && f.packetFrameNo > victim.packetFrameNo));
    clock.ms = 299;
    assert.deepEqual(expired(a), [], 'still waiting');
    clock.ms = 300;
    frames.push(...expired(a), ...feed(a, rest.slice(cut)));
    assert.equal(a.stats.loss.framesMissing, 1);
    assert.equal(a.stats.loss.resumes, 1);
    assert.ok(ofKind(frames, 'video').every((f) => f.packetFrameNo < victim.packetFrameNo || f.packetFrameNo > victim.packetFrameNo));
    assertAccounted(a);
  });

  test('a quiet stream: expire() alone gives up the wait and releases what was held, in order', () => {
    const { a, clock } = timed(200);
    const cut = without.indexOf(v[v.indexOf(victim) + 2].packets[0]) + v[v.indexOf(victim) + 2].packets.length;
    const before = feed(a, without.slice(0, cut)).length;
    assert.equal(a.heldFrames > 0, true);
    clock.ms = 200;
    const released = expired(a).map(key);
    assert.ok(before > 0);
    assert.equal(a.stats.framesDropped.expired, 1);
    assert.equal(a.heldFrames, 0, 'nothing waits any more');
    assert.ok(released.every((k) => !k.startsWith(`${MediaChannel.PFrame}/`) || Number(k.split('/')[1]) < victim.packetFrameNo), 'P-frames after the loss stay withheld');
  });

  test('audio behind a lost audio frame waits, then goes on without it', () => {
    const { a, clock } = timed(100);
    const audio = stream.filter((s) => s.channel === MediaChannel.Audio);
    const [first, lost, third] = audio;
    const frames = feed(a, [first.packets[0], third.packets[0]]);
    assert.deepEqual(frames.map(key), [key(first)]);
    clock.ms = 100;
    assert.deepEqual(expired(a).map(key), [key(third)]);
    assert.equal(feed(a, [lost.packets[0]]).length, 0, 'too late: its place was given up');
  });
});
