import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CameraClock } from './camera-clock';

const S = 1_000_000;
/** A camera second/µs pair from an absolute µs value. */
const split = (t: number): [number, number] => [Math.floor(t / S), t % S];
const HOST0 = 1_790_000_000 * S;

/** Feeds frames of one kind every `stepUs` of camera time; arrival advances by `arrivalStepUs`. */
function run(clock: CameraClock, camStart: number, n: number, stepUs: number, arrivalStart: number, arrivalStepUs = stepUs, kind: 'video' | 'audio' = 'video'): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(clock.timeOf(kind, ...split(camStart + i * stepUs), arrivalStart + i * arrivalStepUs));
  return out;
}

function assertIncreasing(xs: number[]): void {
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i] > xs[i - 1], `time went backwards at ${i}: ${xs[i - 1]} → ${xs[i]}`);
}

describe('CameraClock', () => {
  it('uses camera time as-is while it is plausible against the host clock', () => {
    const c = new CameraClock({ now: () => 0 });
    const out = run(c, HOST0 + 200_000, 50, 50_000, HOST0 + 230_000); // 30 ms of network delay
    assert.equal(c.mode, 'camera');
    out.forEach((t, i) => assert.equal(t, HOST0 + 200_000 + i * 50_000));
  });

  it('anchors camera deltas to arrival time when camera time is implausible, ignoring arrival jitter', () => {
    const c = new CameraClock({ now: () => 0 });
    const camStart = HOST0 - 3600 * S; // an hour behind
    const out: number[] = [];
    for (let i = 0; i < 40; i++) {
      const jitter = i % 3 === 0 ? 40_000 : 0;
      out.push(c.timeOf('video', ...split(camStart + i * 50_000), HOST0 + i * 50_000 + jitter));
    }
    assert.equal(c.mode, 'anchored');
    out.forEach((t, i) => assert.equal(t, HOST0 + 40_000 + i * 50_000));
  });

  it('follows µs wraps when the seconds field is a session constant', () => {
    const c = new CameraClock({ now: () => 0 });
    const marker = 12345;
    const out: number[] = [];
    for (let i = 0; i < 100; i++) out.push(c.timeOf('video', marker, (900_000 + i * 50_000) % S, HOST0 + i * 50_000));
    assertIncreasing(out);
    for (let i = 1; i < out.length; i++) assert.equal(out[i] - out[i - 1], 50_000, `step ${i}`);
    assert.ok(c.stats.jumps >= 4);
  });

  it('bridges a camera clock jump forward and backward without moving the output', () => {
    const c = new CameraClock({ now: () => 0 });
    const a = run(c, HOST0, 20, 50_000, HOST0);
    // The camera's NTP sync moves its clock by +2 h, then by −3 h.
    const b = run(c, HOST0 + 7200 * S + 20 * 50_000, 20, 50_000, HOST0 + 20 * 50_000);
    const d = run(c, HOST0 - 3600 * S + 40 * 50_000, 20, 50_000, HOST0 + 40 * 50_000);
    const all = [...a, ...b, ...d];
    assertIncreasing(all);
    all.forEach((t, i) => assert.equal(t, HOST0 + i * 50_000, `frame ${i}`));
    assert.equal(c.stats.jumps, 2);
  });

  it('follows a running µs counter through its u32 wrap', () => {
    const c = new CameraClock({ now: () => 0, maxSkewUs: 10 * S });
    const out: number[] = [];
    let us = 0xffff_ffff - 120_000;
    for (let i = 0; i < 10; i++) {
      out.push(c.timeOf('video', 777, us, HOST0 + i * 50_000));
      us = (us + 50_000) % 0x1_0000_0000;
    }
    for (let i = 1; i < out.length; i++) assert.equal(out[i] - out[i - 1], 50_000);
  });

  it('keeps audio and video on one timeline when they interleave', () => {
    const c = new CameraClock({ now: () => 0 });
    const v: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = HOST0 + i * 50_000;
      v.push(c.timeOf('video', ...split(t), t + 5_000));
      // audio frames timed 20 ms before the video frame they follow
      a.push(c.timeOf('audio', ...split(t - 20_000), t + 6_000));
    }
    assertIncreasing(v);
    assertIncreasing(a);
    for (let i = 0; i < 60; i++) assert.equal(v[i] - a[i], 20_000);
    assert.equal(c.stats.jumps, 0);
  });

  it('accepts a real pause in the stream when arrival time agrees', () => {
    const c = new CameraClock({ now: () => 0 });
    c.timeOf('video', ...split(HOST0), HOST0);
    const t = c.timeOf('video', ...split(HOST0 + 12 * S), HOST0 + 12 * S + 3000);
    assert.equal(t, HOST0 + 12 * S);
    assert.equal(c.stats.jumps, 0);
  });

  it('bridges a jump across a long pause with the arrival delta', () => {
    const c = new CameraClock({ now: () => 0 });
    c.timeOf('video', ...split(HOST0), HOST0);
    const t = c.timeOf('video', ...split(HOST0 + 9999 * S), HOST0 + 3 * S);
    assert.equal(t, HOST0 + 3 * S);
  });

  it('slews back a camera that runs fast while anchored: never backwards, converges to arrival', () => {
    const c = new CameraClock({ now: () => 0, maxSkewUs: 2 * S });
    const camStart = HOST0 - 3600 * S;
    // camera µs run 1 % fast: after 400 s it is 4 s ahead of arrival
    const out = run(c, camStart, 8000, 50_500, HOST0, 50_000);
    assertIncreasing(out);
    assert.ok(c.stats.resyncs >= 1);
    for (let i = 1; i < out.length; i++) assert.ok(out[i] - out[i - 1] >= 25_000, `step ${i} collapsed: ${out[i] - out[i - 1]}`);
    const last = out[out.length - 1];
    const arrival = HOST0 + 7999 * 50_000;
    assert.ok(Math.abs(last - arrival) <= 2 * S, `last output ${last - arrival} µs from arrival`);
  });

  it('moves forward at once for a camera that falls behind', () => {
    const c = new CameraClock({ now: () => 0, maxSkewUs: 2 * S });
    const out = run(c, HOST0, 3000, 49_000, HOST0, 50_000); // 2 % slow: 3 s behind after 150 s
    assertIncreasing(out);
    assert.equal(c.stats.resyncs, 1);
    assert.equal(c.mode, 'anchored');
    assert.ok(Math.abs(out[out.length - 1] - (HOST0 + 2999 * 50_000)) <= 2 * S);
  });

  it('follows camera time that runs ahead of the host when the plausibility window allows it (speed-up tests)', () => {
    const c = new CameraClock({ now: () => 0, maxSkewUs: 3600 * S });
    const out = run(c, HOST0, 3600, 50_000, HOST0, 50_000 / 6);
    out.forEach((t, i) => assert.equal(t, HOST0 + i * 50_000));
  });

  it('never goes backwards across sessions, even when the camera restarts with an earlier time', () => {
    const c = new CameraClock({ now: () => 0 });
    const a = run(c, HOST0, 20, 50_000, HOST0);
    c.resetSession();
    const b = run(c, HOST0 + 200_000, 20, 50_000, HOST0 + 1_000_000);
    assertIncreasing([...a, ...b]);
    assert.equal(b[b.length - 1], HOST0 + 200_000 + 19 * 50_000);
  });

  it('anchors each new session afresh', () => {
    const c = new CameraClock({ now: () => 0 });
    run(c, HOST0 - 3600 * S, 10, 50_000, HOST0);
    assert.equal(c.mode, 'anchored');
    c.resetSession();
    const b = run(c, HOST0 + 60 * S, 10, 50_000, HOST0 + 60 * S + 1000);
    assert.equal(c.mode, 'camera');
    assert.equal(b[0], HOST0 + 60 * S);
  });

  it('adopts a clock the recorder corrected: anchored an hour off, then camera time again after the jump', () => {
    const c = new CameraClock({ now: () => 0 });
    const a = run(c, HOST0 - 3600 * S, 20, 50_000, HOST0 + 30_000);
    assert.equal(c.mode, 'anchored');
    c.cameraTimeSet();
    // The camera's clock now reads the host's (K10092); frames keep coming 50 ms apart with 30 ms of delay.
    const b = run(c, HOST0 + 20 * 50_000, 20, 50_000, HOST0 + 20 * 50_000 + 30_000);
    assert.equal(c.mode, 'camera');
    assertIncreasing([...a, ...b]);
    // Anchored output carried the 30 ms delay; dropping it is a step back, slewed over two frames.
    b.forEach((t, i) => assert.ok(Math.abs(t - (HOST0 + (20 + i) * 50_000)) <= 30_000, `frame ${i}`));
    b.slice(2).forEach((t, i) => assert.equal(t, HOST0 + (22 + i) * 50_000, `frame ${i + 2} follows the corrected camera time`));
  });

  it('without cameraTimeSet the same jump is bridged and output stays anchored', () => {
    const c = new CameraClock({ now: () => 0 });
    run(c, HOST0 - 3600 * S, 20, 50_000, HOST0 + 30_000);
    const b = run(c, HOST0 + 20 * 50_000, 20, 50_000, HOST0 + 20 * 50_000 + 30_000);
    assert.equal(c.mode, 'anchored');
    assert.equal(b[0], HOST0 + 30_000 + 20 * 50_000);
  });

  it('a corrected camera that had been trusted ahead of the host is slewed back, never backwards', () => {
    const c = new CameraClock({ now: () => 0, maxSkewUs: 7200 * S });
    const a = run(c, HOST0 + 10 * S, 20, 50_000, HOST0);
    assert.equal(a[0], HOST0 + 10 * S, 'trusted while within the skew');
    c.cameraTimeSet();
    const b = run(c, HOST0 + 20 * 50_000, 800, 50_000, HOST0 + 20 * 50_000);
    assertIncreasing([...a, ...b]);
    for (let i = 1; i < b.length; i++) assert.ok(b[i] - b[i - 1] >= 25_000, `step ${i} collapsed`);
    assert.equal(b[b.length - 1], HOST0 + 819 * 50_000, 'caught up with the corrected camera time');
  });

  it('reads the host clock when no arrival time is given', () => {
    let now = HOST0 - 7200 * S;
    const c = new CameraClock({ now: () => now });
    assert.equal(c.timeOf('video', ...split(HOST0)), HOST0 - 7200 * S);
    now += 50_000;
    assert.equal(c.timeOf('video', ...split(HOST0 + 50_000)), HOST0 - 7200 * S + 50_000);
  });
});
