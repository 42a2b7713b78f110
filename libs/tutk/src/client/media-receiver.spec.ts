// The media half of a session: which ACKs it sends for which format, and when it reports received runs.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { RX_UNSET } from '../av/ack';
import type { AckRun } from '../av/received-runs';
import { Codec, MediaChannel } from '../frames/codecs';
import { packetizeFrame } from '../frames/packetizer';
import { TimerSet } from '../session/timers';
import { eventually } from '../testing/eventually';
import { sampleFrameInfo } from '../testing/synthetic-stream';
import type { Frame } from '../frames/assembler';
import { MediaReceiver } from './media-receiver';

const timerSets: TimerSet[] = [];
afterEach(() => timerSets.splice(0).forEach((t) => t.close()));

function receiver(resend: 0 | 1) {
  const acks: (AckRun | undefined)[] = [];
  const frames: Frame[] = [];
  const timers = new TimerSet();
  timerSets.push(timers);
  const r = new MediaReceiver({ timers, sendAck: (run) => acks.push(run), deliver: (f) => frames.push(f) }, { resend, waitMs: 400 });
  return { r, acks, frames };
}

/** `n` one-packet audio frames in the given format, sequence numbers from `seq0`. */
function records(resend: 0 | 1, n: number, seq0 = 0): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const data = Uint8Array.of(1, 2, 3, i);
    out.push(...packetizeFrame(data, { channel: MediaChannel.Audio, frameNo: i + 1, prevFrameNo: 0, frameInfo: sampleFrameInfo(Codec.AacWyze, 0x0c, data.length, i + 1), txSeq: seq0 + i, resend }));
  }
  return out;
}

describe('MediaReceiver', () => {
  test('resend = 1 asked, no media yet: a plain ACK reports the unset window, never go2rtc\'s window of control-record numbers', () => {
    assert.deepEqual(receiver(1).r.defaultRun(), { rxStart: RX_UNSET, rxEnd: RX_UNSET });
    assert.equal(receiver(0).r.defaultRun(), undefined, 'resend = 0: go2rtc\'s window');
  });

  test('direct media: go2rtc\'s ACKs (no run), frames delivered, format direct', () => {
    const { r, acks, frames } = receiver(1);
    for (const p of records(0, 3)) r.push(p);
    assert.equal(frames.length, 3);
    assert.equal(r.defaultRun(), undefined);
    r.tick();
    assert.deepEqual(acks, [undefined]);
    assert.equal(r.stats.format, 'direct');
  });

  test('wrapped media: the tick reports the runs received; with nothing new, the newest run', () => {
    const { r, acks } = receiver(1);
    for (const p of records(1, 4, 100)) r.push(p);
    r.tick();
    assert.deepEqual(acks, [{ rxStart: 100, rxEnd: 103 }]);
    r.tick();
    assert.deepEqual(acks[1], undefined, 'a plain ACK, which the AV channel fills with defaultRun()');
    assert.deepEqual(r.defaultRun(), { rxStart: 100, rxEnd: 103 });
    assert.equal(r.stats.format, 'wrapped');
  });

  test('a hole is reported on its own soon after it opens, without waiting for the 100 ms tick', async () => {
    const { r, acks } = receiver(1);
    const p = records(1, 5);
    for (const x of [p[0], p[1], p[3], p[4]]) r.push(x);
    await eventually(() => acks.length >= 2, 'the early report', { timeoutMs: 500 });
    assert.deepEqual(acks.slice(0, 2), [
      { rxStart: 0, rxEnd: 1 },
      { rxStart: 3, rxEnd: 4 },
    ]);
    r.push(p[2]);
    await eventually(() => acks.length >= 3, 'the report of the hole filled', { timeoutMs: 500 });
    assert.deepEqual(acks[2], { rxStart: 0, rxEnd: 4 });
    assert.deepEqual([r.stats.requested, r.stats.recovered, r.stats.runsReported], [1, 1, 3]);
  });

  test('a second copy of a wrapped record is dropped before assembly, even after hundreds of frames (no frame twice)', () => {
    const { r, frames } = receiver(1);
    const p = records(1, 300);
    for (const x of p) r.push(x);
    assert.equal(frames.length, 300);
    r.push(p[0]);
    r.push(p[299]);
    assert.equal(frames.length, 300, 'an audio frame 300 behind would pass the assembler as a camera counting again');
    assert.equal(r.stats.duplicates, 2);
  });
});
