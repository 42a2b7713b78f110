import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noVideoCause, sizeText, type StreamCounters, type StreamReport } from './probe-stream';

const zero: StreamCounters = { records: 10, mediaPackets: 0, unknownMagic: 0, packetsDropped: 0, framesDropped: 0 };
const quiet: StreamReport = { seconds: 2, bytes: 0, bytesPerSecond: 0 };

function after(d: Partial<StreamCounters>): StreamCounters {
  return { ...zero, ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, zero[k as keyof StreamCounters] + v])) } as StreamCounters;
}

describe('noVideoCause', () => {
  it('records dropped as av:unknown-magic while watching: records neither media in a known format nor commands', () => {
    assert.match(noVideoCause(zero, after({ records: 40, unknownMagic: 40 }), quiet), /^40 channel-0 records dropped as av:unknown-magic: .*neither media in a format this client knows/);
  });

  it('counts only what arrived while watching: unknown-magic records from before are no reason', () => {
    const before = { ...zero, unknownMagic: 3 };
    assert.match(noVideoCause(before, { ...before }, quiet), /^no records at all after the login: the camera is not streaming/);
  });

  it('records but no media packets: answering commands, not streaming', () => {
    assert.match(noVideoCause(zero, after({ records: 4 }), quiet), /^4 records but no media: .*not streaming/);
  });

  it('audio frames only', () => {
    const r: StreamReport = { ...quiet, audio: { codec: '0x90', sampleRate: 16000, channels: 1, frames: 31, fps: 15.5 } };
    assert.match(noVideoCause(zero, after({ records: 31, mediaPackets: 31 }), r), /^only audio arrived \(31 frames\)/);
  });

  it('media packets that never made a frame: loss, with the counts', () => {
    assert.match(noVideoCause(zero, after({ records: 90, mediaPackets: 90, packetsDropped: 12, framesDropped: 3 }), quiet), /^90 media packets but no whole video frame \(12 packets and 3 frames dropped\)/);
    assert.match(noVideoCause(zero, after({ records: 9, mediaPackets: 9 }), quiet), /no whole video frame yet: a longer --seconds/);
  });
});

describe('sizeText', () => {
  it('one size, a switch, none', () => {
    assert.equal(sizeText([{ width: 1280, height: 720 }]), '1280x720');
    assert.equal(sizeText([{ width: 1280, height: 720 }, { width: 640, height: 360 }]), '1280x720 → 640x360');
    assert.equal(sizeText([]), '?x?');
  });
});
