// A unit test of the web app's init-segment reader, here (not beside it) because it needs the recorder's
// writer (libs/media), which the web app's tsconfig does not see. Init segments come from that writer and the repository's fixtures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aacConfigFromAdts, FragmentedMp4Writer, videoConfigFromAccessUnit, type StreamConfig } from '@wyze-nvr/media';
import { accessUnits, fixture } from '../libs/media/test/support';
import { initCodecs, initSegmentLength, mimeOfInit } from '../apps/web/src/playback/mp4-codecs';

function init(config: StreamConfig): Uint8Array {
  return new FragmentedMp4Writer(config).init();
}

describe('codecs of an init segment', () => {
  const h264 = videoConfigFromAccessUnit('h264', accessUnits(fixture('h264-720p20.h264'), 'h264')[0])!;
  const h265 = videoConfigFromAccessUnit('h265', accessUnits(fixture('h265-720p20.h265'), 'h265')[0])!;
  const aac = aacConfigFromAdts(fixture('aac-16k-mono.aac'));

  it('H.264 with AAC: the profile and level from avcC, the AAC object type, video first', () => {
    const bytes = init({ video: h264, audio: aac });
    assert.deepEqual(initCodecs(bytes), [h264.codecString.replace(/^avc1\.(.*)$/, (_: string, x: string) => `avc1.${x.toUpperCase()}`), aac.codecString]);
    assert.equal(mimeOfInit(bytes), `video/mp4; codecs="${initCodecs(bytes).join(', ')}"`);
  });
  it('H.265 from hvcC, as the recorder names it', () => {
    assert.equal(initCodecs(init({ video: h265 }))[0].toLowerCase(), h265.codecString.toLowerCase());
  });
  it('finds where the init segment ends, once moov is complete', () => {
    const bytes = init({ video: h264 });
    const withMore = new Uint8Array(bytes.length + 10);
    withMore.set(bytes);
    assert.equal(initSegmentLength(withMore), bytes.length);
    assert.equal(initSegmentLength(bytes.subarray(0, bytes.length - 1)), undefined);
  });
});
