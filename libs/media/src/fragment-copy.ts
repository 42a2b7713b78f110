import { MediaWriteError } from './errors';
import { type TrackRun, buildMoofAndMdatHeader } from './isobmff/fragment';
import { type FragmentedMp4, type Mp4Sample, type Mp4Track, readFragmentedMp4 } from './fmp4-reader';
import { sameBytes } from '@wyze-nvr/bytes';

/** One recorded segment file in memory and its time zero (the writer's baseTimeUs, the file's start in the index). */
export interface SegmentInput {
  data: Uint8Array;
  startUs: number;
}

/** One segment already indexed (readFragmentedMp4 / indexFragmentedMp4) and its time zero. */
export interface IndexedSegment {
  index: FragmentedMp4;
  startUs: number;
}

export interface CopyRange {
  /** Start (µs, absolute); output begins at the video keyframe at or before it. Default: the first keyframe. */
  fromUs?: number;
  /** End (µs, absolute, exclusive): samples starting at or after it are left out. Default: all. */
  toUs?: number;
}

/** A piece of the output: new bytes (init segment, moof headers), or a byte range of input segment `input`. */
export type CopyPart = { kind: 'bytes'; data: Uint8Array } | { kind: 'range'; input: number; offset: number; length: number };

export interface CopyPlan {
  parts: CopyPart[];
  byteLength: number;
  /** Absolute time (µs) of the output's time zero: the first keyframe's time. */
  startUs: number;
  /** Absolute end (µs) of the last copied sample. */
  endUs: number;
  fragments: number;
  samples: number;
}

export interface CopyOutput extends Omit<CopyPlan, 'parts'> {
  /** The init segment, then each moof header followed by views of the sample bytes (for fs.writev / a stream). */
  chunks: Uint8Array[];
}

interface Picked {
  sample: Mp4Sample;
  /** Absolute µs. */
  timeUs: number;
}

function assertSameTracks(first: FragmentedMp4, other: FragmentedMp4, index: number): void {
  const same =
    first.tracks.length === other.tracks.length &&
    first.tracks.every((t, i) => {
      const o = other.tracks[i];
      return o.trackId === t.trackId && o.handlerType === t.handlerType && o.timescale === t.timescale && sameBytes(o.sampleEntry, t.sampleEntry);
    });
  if (!same) throw new MediaWriteError('mismatch', `segment ${index} has a different stream config; it needs its own file`);
}

/**
 * Plans one fragmented MP4 from recorded segments of one stream config, without re-encoding: the first
 * segment's init segment, then each input fragment's selected samples under a fresh moof (sequence numbers
 * from 1, tfdt on the output timeline). Time zero is the video keyframe at or before `range.fromUs`; samples
 * at or after `range.toUs` are dropped; a range starting after the footage selects nothing. Sample bytes are
 * byte ranges of the inputs (adjacent samples merged), so the caller can stream them from files.
 */
export function planFragmentCopy(segments: readonly IndexedSegment[], range: CopyRange = {}): CopyPlan {
  if (segments.length === 0) throw new MediaWriteError('no-track', 'nothing to copy');
  const files = segments.map((s) => s.index);
  files.forEach((f, i) => assertSameTracks(files[0], f, i));
  const tracks = files[0].tracks;
  const trackById = new Map(tracks.map((t) => [t.trackId, t]));
  const video = tracks.find((t) => t.kind === 'video');
  const toUs = range.toUs ?? Infinity;
  const absUs = (seg: IndexedSegment, track: Mp4Track, decodeTime: number) => seg.startUs + Math.round((decodeTime * 1e6) / track.timescale);

  // Time zero: the last video keyframe at or before fromUs, else the first keyframe (or, without video,
  // fromUs / the first sample). A range that begins after the last sample ends selects nothing.
  let startUs: number | undefined;
  let firstKeyUs: number | undefined;
  let firstSampleUs: number | undefined;
  let footageEndUs = -Infinity;
  segments.forEach((seg, i) => {
    for (const fr of files[i].fragments) {
      for (const s of fr.samples) {
        const track = trackById.get(s.trackId)!;
        const t = absUs(seg, track, s.decodeTime);
        firstSampleUs ??= t;
        footageEndUs = Math.max(footageEndUs, absUs(seg, track, s.decodeTime + s.duration));
        if (track !== video || !s.keyframe) continue;
        firstKeyUs ??= t;
        if (range.fromUs !== undefined && t <= range.fromUs && (startUs === undefined || t > startUs)) startUs = t;
      }
    }
  });
  startUs ??= video ? firstKeyUs : range.fromUs;
  startUs ??= firstSampleUs ?? range.fromUs ?? 0;
  const nothing = range.fromUs !== undefined && range.fromUs >= footageEndUs;
  const zero = startUs;

  const parts: CopyPart[] = [{ kind: 'bytes', data: files[0].init }];
  let byteLength = files[0].init.length;
  let sequenceNumber = 0;
  let samples = 0;
  let endUs = zero;
  segments.forEach((seg, i) => {
    if (nothing) return;
    for (const fr of files[i].fragments) {
      const byTrack = new Map<number, Picked[]>();
      for (const s of fr.samples) {
        const t = absUs(seg, trackById.get(s.trackId)!, s.decodeTime);
        if (t < zero || t >= toUs) continue;
        let list = byTrack.get(s.trackId);
        if (!list) byTrack.set(s.trackId, (list = []));
        list.push({ sample: s, timeUs: t });
      }
      if (byTrack.size === 0) continue;
      const runs: TrackRun[] = [];
      const ranges: CopyPart[] = [];
      for (const track of tracks) {
        const picked = byTrack.get(track.trackId);
        if (!picked) continue;
        // The input-to-output timeline shift for this segment, in the track timescale; samples keep their
        // own durations, so the spacing within a segment is exact.
        const shift = Math.round(((seg.startUs - zero) * track.timescale) / 1e6);
        runs.push({
          trackId: track.trackId,
          baseMediaDecodeTime: Math.max(0, picked[0].sample.decodeTime + shift),
          durations: picked.map((p) => p.sample.duration),
          sizes: picked.map((p) => p.sample.size),
          flags: picked.map((p) => p.sample.flags),
        });
        for (const p of picked) {
          const last = ranges[ranges.length - 1];
          if (last?.kind === 'range' && last.offset + last.length === p.sample.offset) last.length += p.sample.size;
          else ranges.push({ kind: 'range', input: i, offset: p.sample.offset, length: p.sample.size });
          byteLength += p.sample.size;
          endUs = Math.max(endUs, p.timeUs + Math.round((p.sample.duration * 1e6) / track.timescale));
        }
        samples += picked.length;
      }
      const header = buildMoofAndMdatHeader(++sequenceNumber, runs);
      parts.push({ kind: 'bytes', data: header }, ...ranges);
      byteLength += header.length;
    }
  });
  return { parts, byteLength, startUs: zero, endUs, fragments: sequenceNumber, samples };
}

/** planFragmentCopy over segments held in memory; the sample chunks are views into the inputs. */
export function copyFragments(inputs: readonly SegmentInput[], range: CopyRange = {}): CopyOutput {
  if (inputs.length === 0) throw new MediaWriteError('no-track', 'nothing to copy');
  const plan = planFragmentCopy(
    inputs.map((s) => ({ index: readFragmentedMp4(s.data), startUs: s.startUs })),
    range,
  );
  const chunks = plan.parts.map((p) => (p.kind === 'bytes' ? p.data : inputs[p.input].data.subarray(p.offset, p.offset + p.length)));
  return { chunks, byteLength: plan.byteLength, startUs: plan.startUs, endUs: plan.endUs, fragments: plan.fragments, samples: plan.samples };
}
