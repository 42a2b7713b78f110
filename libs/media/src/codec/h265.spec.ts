import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAnnexB } from './annexb';
import { H265NalType, h265CodecString, h265NalType, isH265Keyframe, parseH265Pps, parseH265Sps, parseH265Vps } from './h265';
import { MediaParseError } from '../errors';
import { accessUnits, fixture } from '../../test/support';

const firstOfType = (file: string, type: number) => splitAnnexB(fixture(file)).find((n) => h265NalType(n) === type)!;

describe('H.265 parameter sets', () => {
  test('720p Main fixture SPS: size and profile_tier_level', () => {
    const s = parseH265Sps(firstOfType('h265-720p20.h265', H265NalType.Sps));
    assert.deepEqual([s.width, s.height], [1280, 720]);
    assert.equal(s.chromaFormatIdc, 1);
    assert.equal(s.bitDepthLuma, 8);
    assert.equal(s.maxSubLayers, 1);
    const ptl = s.profileTierLevel;
    assert.equal(ptl.generalProfileSpace, 0);
    assert.equal(ptl.generalTierFlag, 0);
    assert.equal(ptl.generalProfileIdc, 1); // Main
    assert.equal(ptl.generalLevelIdc, 93); // level 3.1 × 30
    // Main is compatible with Main (bit 1) and Main 10 (bit 2), counted from the MSB.
    assert.equal(ptl.generalProfileCompatibilityFlags, 0x60000000);
    assert.equal(ptl.generalConstraintIndicatorFlags[0] & 0x80, 0x80, 'general_progressive_source_flag');
    assert.equal(h265CodecString(ptl), 'hvc1.1.6.L93.90');
  });

  test('conformance window: 640x356 coded as 640x360', () => {
    const s = parseH265Sps(firstOfType('h265-640x356-crop.h265', H265NalType.Sps));
    assert.deepEqual([s.width, s.height, s.codedWidth, s.codedHeight], [640, 356, 640, 360]);
  });

  test('VPS and PPS', () => {
    const v = parseH265Vps(firstOfType('h265-720p20.h265', H265NalType.Vps));
    assert.equal(v.vpsId, 0);
    assert.equal(v.maxSubLayers, 1);
    assert.equal(v.profileTierLevel.generalLevelIdc, 93);
    const p = parseH265Pps(firstOfType('h265-720p20.h265', H265NalType.Pps));
    assert.deepEqual([p.ppsId, p.spsId], [0, 0]);
  });

  test('truncations and random payloads are MediaParseErrors only', () => {
    const sps = firstOfType('h265-720p20.h265', H265NalType.Sps);
    for (let n = 0; n < sps.length; n++) {
      try {
        parseH265Sps(sps.subarray(0, n));
      } catch (e) {
        assert.ok(e instanceof MediaParseError, `length ${n}: ${e}`);
      }
    }
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
    for (let k = 0; k < 2000; k++) {
      const nal = new Uint8Array(2 + (k % 60));
      nal[0] = H265NalType.Sps << 1;
      nal[1] = 1;
      for (let i = 2; i < nal.length; i++) nal[i] = rnd();
      try {
        parseH265Sps(nal);
      } catch (e) {
        assert.ok(e instanceof MediaParseError, String(e));
      }
    }
  });

  test('IRAP access units are exactly every 40th frame', () => {
    const aus = accessUnits(fixture('h265-720p20.h265'), 'h265');
    assert.equal(aus.length, 200);
    const keys = aus.map((au, i) => (isH265Keyframe(splitAnnexB(au)) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(keys, [0, 40, 80, 120, 160]);
  });

  test('keyframe types are 16..21 only', () => {
    const nal = (t: number) => new Uint8Array([t << 1, 1, 0xaf]);
    assert.ok(isH265Keyframe([nal(16)]));
    assert.ok(isH265Keyframe([nal(21)]));
    assert.ok(!isH265Keyframe([nal(22)]));
    assert.ok(!isH265Keyframe([nal(1), nal(39)]));
  });
});
