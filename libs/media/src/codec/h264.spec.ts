import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAnnexB } from './annexb';
import { H264NalType, h264CodecString, h264NalType, isH264Keyframe, parseH264Pps, parseH264Sps } from './h264';
import { MediaParseError } from '../errors';
import { accessUnits, fixture } from '../../test/support';

const firstOfType = (file: string, type: number) => splitAnnexB(fixture(file)).find((n) => h264NalType(n) === type)!;

describe('H.264 SPS', () => {
  test('720p Main fixture: profile, level, size, no cropping', () => {
    const s = parseH264Sps(firstOfType('h264-720p20.h264', H264NalType.Sps));
    assert.equal(s.profileIdc, 77);
    assert.equal(s.levelIdc, 31);
    assert.equal(s.chromaFormatIdc, 1);
    assert.equal(s.bitDepthLuma, 8);
    assert.ok(s.frameMbsOnly);
    assert.deepEqual([s.width, s.height, s.codedWidth, s.codedHeight], [1280, 720, 1280, 720]);
    assert.equal(h264CodecString(s), 'avc1.4d401f');
  });

  test('1080p High fixture: coded 1088 lines, cropped to 1080', () => {
    const s = parseH264Sps(firstOfType('h264-1080p20-crop.h264', H264NalType.Sps));
    assert.equal(s.profileIdc, 100); // High: chroma_format_idc and bit depths are in the SPS
    assert.deepEqual([s.width, s.height, s.codedWidth, s.codedHeight], [1920, 1080, 1920, 1088]);
  });

  test('360p fixture: coded 368 lines, cropped to 360', () => {
    const s = parseH264Sps(firstOfType('h264-360p20.h264', H264NalType.Sps));
    assert.deepEqual([s.width, s.height, s.codedHeight], [640, 360, 368]);
  });

  test('every truncation of a real SPS is a MediaParseError, never another exception', () => {
    const sps = firstOfType('h264-1080p20-crop.h264', H264NalType.Sps);
    for (let n = 1; n < sps.length; n++) {
      try {
        parseH264Sps(sps.subarray(0, n));
      } catch (e) {
        assert.ok(e instanceof MediaParseError, `length ${n}: ${e}`);
      }
    }
    // Truncation inside the fields the parser reads must fail (it needs at least the crop fields).
    assert.throws(() => parseH264Sps(sps.subarray(0, 5)), MediaParseError);
  });

  test('random bytes after an SPS header never crash the parser', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
    for (let k = 0; k < 2000; k++) {
      const nal = new Uint8Array(1 + (k % 40));
      nal[0] = 0x67;
      for (let i = 1; i < nal.length; i++) nal[i] = rnd();
      try {
        parseH264Sps(nal);
      } catch (e) {
        assert.ok(e instanceof MediaParseError, String(e));
      }
    }
  });

  test('rejects a non-SPS NAL unit', () => {
    assert.throws(() => parseH264Sps(new Uint8Array([0x68, 0xce])), (e: unknown) => e instanceof MediaParseError && e.code === 'invalid');
  });
});

describe('H.264 PPS and keyframes', () => {
  test('PPS refers to SPS 0', () => {
    const p = parseH264Pps(firstOfType('h264-720p20.h264', H264NalType.Pps));
    assert.equal(p.ppsId, 0);
    assert.equal(p.spsId, 0);
    assert.equal(p.entropyCodingModeFlag, true); // Main profile, x264 uses CABAC
  });

  test('IDR access units are exactly every 40th frame of the fixture', () => {
    const aus = accessUnits(fixture('h264-720p20.h264'), 'h264');
    assert.equal(aus.length, 200);
    const keys = aus.map((au, i) => (isH264Keyframe(splitAnnexB(au)) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(keys, [0, 40, 80, 120, 160]);
  });
});
