import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAnnexB } from './annexb';
import { buildAvcDecoderConfigurationRecord } from './avcc';
import { buildHevcDecoderConfigurationRecord } from './hvcc';
import { h264NalType } from './h264';
import { h265NalType } from './h265';
import { MediaParseError } from '../errors';
import { fixture } from '../../test/support';

const nalsOf = (file: string, type: (n: Uint8Array) => number, t: number) => splitAnnexB(fixture(file)).filter((n) => type(n) === t).slice(0, 1);

describe('AVCDecoderConfigurationRecord', () => {
  test('Main profile: fields, reserved bits set, parameter sets verbatim', () => {
    const sps = nalsOf('h264-720p20.h264', h264NalType, 7);
    const pps = nalsOf('h264-720p20.h264', h264NalType, 8);
    const r = buildAvcDecoderConfigurationRecord(sps, pps);
    assert.deepEqual(Array.from(r.subarray(0, 6)), [1, 77, 0x40, 31, 0xff, 0xe1]);
    assert.equal((r[6] << 8) | r[7], sps[0].length);
    assert.deepEqual(r.subarray(8, 8 + sps[0].length), sps[0]);
    let o = 8 + sps[0].length;
    assert.equal(r[o], 1); // numOfPictureParameterSets
    assert.equal((r[o + 1] << 8) | r[o + 2], pps[0].length);
    o += 3 + pps[0].length;
    assert.equal(r.length, o, 'Main profile has no chroma/bit-depth extension');
  });

  test('High profile appends chroma_format and bit depths with reserved ones', () => {
    const sps = nalsOf('h264-1080p20-crop.h264', h264NalType, 7);
    const pps = nalsOf('h264-1080p20-crop.h264', h264NalType, 8);
    const r = buildAvcDecoderConfigurationRecord(sps, pps);
    assert.deepEqual(Array.from(r.subarray(r.length - 4)), [0xfc | 1, 0xf8, 0xf8, 0]);
  });

  test('missing parameter sets → MediaParseError', () => {
    assert.throws(() => buildAvcDecoderConfigurationRecord([], []), (e: unknown) => e instanceof MediaParseError && e.code === 'missing');
  });
});

describe('HEVCDecoderConfigurationRecord', () => {
  test('fields and every reserved bit as the syntax requires (ISO/IEC 14496-15 §8.3.3.1.2)', () => {
    const f = 'h265-720p20.h265';
    const vps = nalsOf(f, h265NalType, 32);
    const sps = nalsOf(f, h265NalType, 33);
    const pps = nalsOf(f, h265NalType, 34);
    const r = buildHevcDecoderConfigurationRecord(vps, sps, pps);
    const dv = new DataView(r.buffer, r.byteOffset, r.length);
    assert.equal(r[0], 1); // configurationVersion
    assert.equal(r[1], 0x01); // profile_space 0, tier 0, profile_idc 1
    assert.equal(dv.getUint32(2), 0x60000000); // general_profile_compatibility_flags
    assert.deepEqual(Array.from(r.subarray(6, 12)), [0x90, 0, 0, 0, 0, 0]); // general_constraint_indicator_flags
    assert.equal(r[12], 93); // general_level_idc
    assert.equal(dv.getUint16(13) & 0xf000, 0xf000, "reserved '1111'b before min_spatial_segmentation_idc");
    assert.equal(r[15] & 0xfc, 0xfc, "reserved '111111'b before parallelismType");
    assert.equal(r[16], 0xfc | 1, "reserved '111111'b + chromaFormat 1");
    assert.equal(r[17], 0xf8, "reserved '11111'b + bitDepthLumaMinus8 0");
    assert.equal(r[18], 0xf8, "reserved '11111'b + bitDepthChromaMinus8 0");
    assert.equal(dv.getUint16(19), 0); // avgFrameRate
    // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
    assert.equal(r[21], (1 << 3) | (1 << 2) | 3);
    assert.equal(r[22], 3); // numOfArrays
    let o = 23;
    for (const [type, nal] of [[32, vps[0]], [33, sps[0]], [34, pps[0]]] as const) {
      assert.equal(r[o], 0x80 | type, 'array_completeness 1, reserved 0, NAL_unit_type');
      assert.equal(dv.getUint16(o + 1), 1); // numNalus
      assert.equal(dv.getUint16(o + 3), nal.length); // nalUnitLength
      assert.deepEqual(r.subarray(o + 5, o + 5 + nal.length), nal);
      o += 5 + nal.length;
    }
    assert.equal(o, r.length);
  });
});
