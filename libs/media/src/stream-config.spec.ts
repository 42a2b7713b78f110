import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAnnexB } from './codec/annexb';
import { H264NalType, h264NalType, parseH264Pps } from './codec/h264';
import { H265NalType, h265NalType, parseH265Pps, parseH265Sps, parseH265SpsHead } from './codec/h265';
import { buildHevcDecoderConfigurationRecord } from './codec/hvcc';
import { MediaParseError } from './errors';
import { videoConfigFromParameterSets } from './stream-config';
import { fixture } from '../test/support';

const setsOf = (file: string, type: (n: Uint8Array) => number, t: number) => splitAnnexB(fixture(file)).filter((n) => type(n) === t).slice(0, 1);

/** A parameter set of the given NAL header whose body our full parser refuses. */
function unparsable(header: number[], parse: (n: Uint8Array) => unknown): Uint8Array {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
  for (;;) {
    const nal = Uint8Array.from([...header, ...Array.from({ length: 6 }, rnd)]);
    try {
      parse(nal);
    } catch (e) {
      assert.ok(e instanceof MediaParseError);
      return nal;
    }
  }
}

describe('videoConfigFromParameterSets reads only what the sample entry needs', () => {
  test('H.265: an SPS whose later syntax does not parse still gives the size, codec string and hvcC', () => {
    const vps = setsOf('h265-720p20.h265', h265NalType, H265NalType.Vps);
    const pps = setsOf('h265-720p20.h265', h265NalType, H265NalType.Pps);
    const full = setsOf('h265-720p20.h265', h265NalType, H265NalType.Sps)[0];
    // The shortest prefix whose head parses: everything after the bit depths is missing.
    let cut: Uint8Array | undefined;
    for (let n = 3; n < full.length && !cut; n++) {
      try {
        parseH265SpsHead(full.subarray(0, n));
        cut = full.subarray(0, n);
      } catch {
        // too short for the head still
      }
    }
    assert.ok(cut, 'no prefix parses');
    assert.throws(() => parseH265Sps(cut), MediaParseError, 'the full parser needs more: the test would show nothing');
    const c = videoConfigFromParameterSets('h265', { vps, sps: [cut], pps });
    assert.deepEqual([c.width, c.height, c.codecString], [1280, 720, 'hvc1.1.6.L93.90']);
    assert.deepEqual(c.sps[0], cut, 'stored as sent');
    assert.ok(buildHevcDecoderConfigurationRecord(vps, [cut], pps).length > 23);
  });

  test('PPSs are stored as sent, not parsed: one our parser refuses costs nothing (H.264 and H.265)', () => {
    const badH264 = unparsable([0x68], parseH264Pps);
    assert.equal(h264NalType(badH264), H264NalType.Pps);
    const c264 = videoConfigFromParameterSets('h264', { sps: setsOf('h264-720p20.h264', h264NalType, H264NalType.Sps), pps: [badH264] });
    assert.deepEqual([c264.width, c264.height], [1280, 720]);
    assert.deepEqual(c264.pps, [badH264]);

    const badH265 = unparsable([H265NalType.Pps << 1, 1], parseH265Pps);
    const c265 = videoConfigFromParameterSets('h265', {
      vps: setsOf('h265-720p20.h265', h265NalType, H265NalType.Vps),
      sps: setsOf('h265-720p20.h265', h265NalType, H265NalType.Sps),
      pps: [badH265],
    });
    assert.deepEqual([c265.width, c265.height], [1280, 720]);
    assert.deepEqual(c265.pps, [badH265]);
  });

  test('an SPS whose size cannot be read, or a missing set, is still refused', () => {
    const sps = setsOf('h264-720p20.h264', h264NalType, H264NalType.Sps)[0];
    const pps = setsOf('h264-720p20.h264', h264NalType, H264NalType.Pps);
    assert.throws(() => videoConfigFromParameterSets('h264', { sps: [sps.subarray(0, 4)], pps }), MediaParseError);
    assert.throws(() => videoConfigFromParameterSets('h264', { sps: [sps], pps: [] }), (e: unknown) => e instanceof MediaParseError && e.code === 'missing');
    assert.throws(() => videoConfigFromParameterSets('h265', { sps: setsOf('h265-720p20.h265', h265NalType, H265NalType.Sps), pps: setsOf('h265-720p20.h265', h265NalType, H265NalType.Pps) }), MediaParseError);
  });
});
