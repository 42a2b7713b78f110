// The media parsers `npm run fuzz` feeds: recorded fragmented MP4 as the recorder writes it, the fixtures'
// parameter sets and ADTS frames. Their typed error is MediaParseError.
import {
  H264NalType,
  H265NalType,
  MediaParseError,
  h264NalType,
  h265NalType,
  parseAdtsHeader,
  parseH264Pps,
  parseH264Sps,
  parseH265Pps,
  parseH265Sps,
  parseH265Vps,
  readFragmentedMp4,
  splitAdts,
  splitAnnexB,
  videoConfigFromAccessUnit,
} from '@wyze-nvr/media';
import { accessUnits, fixture, recordFixture } from '../../libs/media/test/support';
import type { FuzzFamily, FuzzTarget } from './families';

const isMediaParseError = (e: unknown) => e instanceof MediaParseError;
const target = (name: string, parse: (b: Uint8Array) => unknown, samples: Uint8Array[]): FuzzTarget => ({ name, make: () => parse, samples, isTypedError: isMediaParseError });

function nalsOf(name: string, pick: (nal: Uint8Array) => boolean): Uint8Array[] {
  return splitAnnexB(fixture(name)).filter(pick).slice(0, 2);
}

function targets(): FuzzTarget[] {
  // Two GOPs (the fixtures have a keyframe every 40 frames) keep each input small enough to copy a million times.
  const recordings = [
    recordFixture({ video: 'h264', audio: 'aac', startUs: 1_000_000, frames: [0, 41], videoFixture: 'h264-360p20.h264' }),
    recordFixture({ video: 'h265', audio: 'pcmu', startUs: 1_000_000, frames: [0, 41], videoFixture: 'h265-640x356-crop.h265' }),
  ].map((r) => r.file);
  const h264 = ['h264-360p20.h264', 'h264-1080p20-crop.h264'];
  const h265 = ['h265-720p20.h265', 'h265-640x356-crop.h265'];
  const h264Nals = (type: number) => h264.flatMap((f) => nalsOf(f, (n) => h264NalType(n) === type));
  const h265Nals = (type: number) => h265.flatMap((f) => nalsOf(f, (n) => h265NalType(n) === type));
  const adts = fixture('aac-16k-mono.aac');
  const adtsEnds = splitAdts(adts).slice(0, 16).map((_, i, all) => all.slice(0, i + 1).reduce((n, f) => n + f.header.frameLength, 0));
  return [
    target('readFragmentedMp4', readFragmentedMp4, recordings),
    target('parseH264Sps', parseH264Sps, h264Nals(H264NalType.Sps)),
    target('parseH264Pps', parseH264Pps, h264Nals(H264NalType.Pps)),
    target('parseH265Vps', parseH265Vps, h265Nals(H265NalType.Vps)),
    target('parseH265Sps', parseH265Sps, h265Nals(H265NalType.Sps)),
    target('parseH265Pps', parseH265Pps, h265Nals(H265NalType.Pps)),
    target('videoConfigFromAccessUnit (H.264)', (b) => videoConfigFromAccessUnit('h264', b), h264.map((f) => accessUnits(fixture(f), 'h264')[0])),
    target('videoConfigFromAccessUnit (H.265)', (b) => videoConfigFromAccessUnit('h265', b), h265.map((f) => accessUnits(fixture(f), 'h265')[0])),
    target('parseAdtsHeader', parseAdtsHeader, adtsEnds.slice(0, 3).map((end) => adts.subarray(end, end + 16))),
    target('splitAdts', splitAdts, [adts.subarray(0, adtsEnds[0]), adts.subarray(0, adtsEnds[15])]),
  ];
}

export const mediaFamily: FuzzFamily = { name: 'media', targets };
