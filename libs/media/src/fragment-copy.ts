import { MediaWriteError } from './errors';
import { type TrackRun, buildMoofAndMdatHeader } from './isobmff/fragment';
import { type FragmentedMp4, type Mp4Sample, type Mp4Track, readFragmentedMp4 } from './fmp4-reader';
import { bytesEqual } from './stream-config';

/** One recorded segment file and its time zero (the writer's baseTimeUs, also the file's start in the index). */
export interface SegmentInput {
  data: Uint8Array;
  startUs: number;
}

export interface CopyRange {
  /** Start (µs, absolute); output begins at the video keyframe at or before it. Default: the first sample. */
  fromUs?: number;
  /** End (µs, absolute, exclusive): samples starting at or after it are left out. Default: all. */
  toUs?: number;
}

export interface CopyOutput {
  /** The init segment, then each moof header followed by views of the sample bytes (for fs.writev / a stream). */
  chunks: Uint8Array[];
  byteLength: number;
  /** Absolute time (µs) of the output's time zero: the first keyframe's time. */
  startUs: number;
  /** Absolute end (µs) of the last copied sample. */
  endUs: number;
  fragments: number;
  samples: number;
}

interface Picked {
  track: Mp4Track;
  sample: Mp4Sample;
  /** Absolute µs. */
  timeUs: number;
}

function assertSameTracks(first: FragmentedMp4, other: FragmentedMp4, index: number): void {
  const same =
    first.tracks.length === other.tracks.length &&
    first.tracks.every((t, i) => {
      const o = other.tracks[i];
      return o.trackId === t.trackId && o.handlerType === t.handlerType && o.timescale === t.timescale && bytesEqual(o.sampleEntry, t.sampleEntry);
    });
  if (!same) throw new MediaWriteError('mismatch', `segment ${index} has a different stream config; it needs its own file`);
}

/**
 * Joins recorded segments of one stream config into a single fragmented MP4 without re-encoding: one init
 * segment (the first input's ftyp + moov), then each input fragment rebuilt with a fresh moof (sequence
 * numbers from 1, tfdt on the output timeline) that references the original sample bytes. The output starts
 * at the video keyframe at or before `range.fromUs` (time zero), and ends before `range.toUs`.
 * Truncated inputs contribute their complete fragments.
 */
export function copyFragments(inputs: readonly SegmentInput[], range: CopyRange = {}): CopyOutput {
  if (inputs.length === 0) throw new MediaWriteError('no-track', 'nothing to copy');
  const files = inputs.map((i) => readFragmentedMp4(i.data));
  files.forEach((f, i) => assertSameTracks(files[0], f, i));
  const tracks = files[0].tracks;
  const video = tracks.find((t) => t.kind === 'video');
  const toUs = range.toUs ?? Infinity;
  const absUs = (input: SegmentInput, track: Mp4Track, decodeTime: number) => input.startUs + Math.round((decodeTime * 1e6) / track.timescale);
  const trackOf = (f: FragmentedMp4, id: number) => f.tracks.find((t) => t.trackId === id)!;

  // Time zero: the last video keyframe at or before fromUs (or the first keyframe when none precedes it).
  let startUs: number | undefined;
  if (video) {
    let firstKey: number | undefined;
    for (let i = 0; i < files.length; i++) {
      for (const fr of files[i].fragments) {
        for (const s of fr.samples) {
          if (s.trackId !== video.trackId || !s.keyframe) continue;
          const t = absUs(inputs[i], video, s.decodeTime);
          firstKey ??= t;
          if (range.fromUs !== undefined && t <= range.fromUs && (startUs === undefined || t > startUs)) startUs = t;
        }
      }
    }
    startUs ??= firstKey;
  } else {
    startUs = range.fromUs;
  }
  if (startUs === undefined) {
    // No keyframe at all (or audio-only without fromUs): start at the earliest sample.
    for (let i = 0; i < files.length && startUs === undefined; i++) {
      const s = files[i].fragments[0]?.samples[0];
      if (s) startUs = absUs(inputs[i], trackOf(files[i], s.trackId), s.decodeTime);
    }
  }
  // A range that begins after the last sample ends selects nothing (rather than the last GOP).
  let footageEndUs = -Infinity;
  for (let i = 0; i < files.length; i++) {
    for (const fr of files[i].fragments) {
      for (const s of fr.samples) {
        const track = trackOf(files[i], s.trackId);
        footageEndUs = Math.max(footageEndUs, absUs(inputs[i], track, s.decodeTime + s.duration));
      }
    }
  }
  const zero = range.fromUs !== undefined && range.fromUs >= footageEndUs ? Infinity : (startUs ?? 0);

  const chunks: Uint8Array[] = [files[0].init];
  let byteLength = files[0].init.length;
  let sequenceNumber = 0;
  let samplesOut = 0;
  let endUs = -Infinity;
  for (let i = 0; i < files.length; i++) {
    const input = inputs[i];
    for (const fr of files[i].fragments) {
      const byTrack = new Map<number, Picked[]>();
      for (const s of fr.samples) {
        const track = trackOf(files[i], s.trackId);
        const t = absUs(input, track, s.decodeTime);
        if (t < zero || t >= toUs) continue;
        let list = byTrack.get(s.trackId);
        if (!list) byTrack.set(s.trackId, (list = []));
        list.push({ track, sample: s, timeUs: t });
      }
      if (byTrack.size === 0) continue;
      const runs: TrackRun[] = [];
      const data: Uint8Array[] = [];
      for (const track of tracks) {
        const picked = byTrack.get(track.trackId);
        if (!picked) continue;
        // Offset between the input's and the output's timeline for this track, in its timescale; the
        // samples keep their own durations, so spacing within a segment is bit-exact.
        const shift = Math.round(((input.startUs - zero) * track.timescale) / 1e6);
        runs.push({
          trackId: track.trackId,
          baseMediaDecodeTime: Math.max(0, picked[0].sample.decodeTime + shift),
          durations: picked.map((p) => p.sample.duration),
          sizes: picked.map((p) => p.sample.size),
          flags: picked.map((p) => p.sample.flags),
        });
        for (const p of picked) {
          data.push(input.data.subarray(p.sample.offset, p.sample.offset + p.sample.size));
          endUs = Math.max(endUs, p.timeUs + Math.round((p.sample.duration * 1e6) / track.timescale));
        }
        samplesOut += picked.length;
      }
      const header = buildMoofAndMdatHeader(++sequenceNumber, runs);
      chunks.push(header, ...data);
      byteLength += header.length;
      for (const d of data) byteLength += d.length;
    }
  }
  const startOut = Number.isFinite(zero) ? zero : (range.fromUs ?? 0);
  return { chunks, byteLength, startUs: startOut, endUs: Math.max(endUs, startOut), fragments: sequenceNumber, samples: samplesOut };
}
