// Our parameter-set parsing and decoder configuration records against ffmpeg's own (an independent writer).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAvcDecoderConfigurationRecord } from './avcc';
import { buildHevcDecoderConfigurationRecord } from './hvcc';
import { videoConfigFromAccessUnit } from '../stream-config';
import { FIXTURES, accessUnits, ffprobeJson, fixture, run } from '../../test/support';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'media-records-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Payload of the first `type` box in an MP4 that ffmpeg muxed from the fixture with -c copy. */
function ffmpegRecord(name: string, type: 'avcC' | 'hvcC'): Uint8Array {
  const out = join(dir, `${name}.mp4`);
  const r = run('ffmpeg', ['-v', 'error', '-y', '-i', join(FIXTURES, name), '-c', 'copy', '-f', 'mp4', out]);
  assert.equal(r.status, 0, r.stderr);
  const mp4 = readFileSync(out);
  const at = mp4.indexOf(type);
  assert.ok(at > 4);
  return new Uint8Array(mp4.subarray(at + 4, at - 4 + mp4.readUInt32BE(at - 4)));
}

describe('decoder configuration records vs ffmpeg', () => {
  for (const name of ['h264-720p20.h264', 'h264-1080p20-crop.h264', 'h264-360p20.h264']) {
    test(`${name}: avcC byte-identical to ffmpeg's, size and profile as ffprobe reports`, () => {
      const c = videoConfigFromAccessUnit('h264', accessUnits(fixture(name), 'h264')[0])!;
      assert.deepEqual(buildAvcDecoderConfigurationRecord(c.sps, c.pps), ffmpegRecord(name, 'avcC'));
      const s = ffprobeJson(join(FIXTURES, name)).streams[0];
      assert.deepEqual([c.width, c.height], [s.width, s.height]);
    });
  }

  for (const name of ['h265-720p20.h265', 'h265-640x356-crop.h265']) {
    test(`${name}: hvcC equal to ffmpeg's except array_completeness (ffmpeg writes 0 for some arrays)`, () => {
      const c = videoConfigFromAccessUnit('h265', accessUnits(fixture(name), 'h265')[0])!;
      const ours = buildHevcDecoderConfigurationRecord(c.vps, c.sps, c.pps);
      const theirs = ffmpegRecord(name, 'hvcC');
      // General fields (profile_tier_level, chroma, bit depths, lengthSizeMinusOne): the first 22 bytes.
      // ffmpeg derives parallelismType from the PPS; we write 0 ("unknown"), which the spec allows.
      const mask = (b: Uint8Array) => Array.from(b.subarray(0, 22)).map((x, i) => (i === 15 ? x & 0xfc : x));
      assert.deepEqual(mask(ours), mask(theirs));
      // The parameter set arrays carry the same NAL units (ignoring the completeness bit).
      const arrays = (b: Uint8Array) => {
        const out: string[] = [];
        let o = 23;
        for (let k = 0; k < b[22]; k++) {
          const type = b[o] & 0x3f;
          const n = (b[o + 1] << 8) | b[o + 2];
          o += 3;
          for (let j = 0; j < n; j++) {
            const len = (b[o] << 8) | b[o + 1];
            out.push(`${type}:${Buffer.from(b.subarray(o + 2, o + 2 + len)).toString('hex')}`);
            o += 2 + len;
          }
        }
        return out.filter((x) => !x.startsWith('39:')); // ffmpeg may add prefix SEI arrays
      };
      assert.deepEqual(arrays(ours), arrays(theirs));
      const s = ffprobeJson(join(FIXTURES, name)).streams[0];
      assert.deepEqual([c.width, c.height], [s.width, s.height]);
      assert.equal(ours[12], Number(s.level));
    });
  }
});
