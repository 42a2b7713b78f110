import { MediaParseError } from './errors';
import { type BoxHeader, BoxCursor, childBoxes, findChild, readBoxHeader } from './isobmff/box-reader';
import {
  SAMPLE_IS_NON_SYNC,
  TFHD_BASE_DATA_OFFSET,
  TFHD_DEFAULT_BASE_IS_MOOF,
  TFHD_DEFAULT_SAMPLE_DURATION,
  TFHD_DEFAULT_SAMPLE_FLAGS,
  TFHD_DEFAULT_SAMPLE_SIZE,
  TFHD_SAMPLE_DESCRIPTION_INDEX,
  TRUN_DATA_OFFSET,
  TRUN_FIRST_SAMPLE_FLAGS,
  TRUN_SAMPLE_COMPOSITION_TIME_OFFSET,
  TRUN_SAMPLE_DURATION,
  TRUN_SAMPLE_FLAGS,
  TRUN_SAMPLE_SIZE,
} from './isobmff/fragment';

export interface Mp4Track {
  trackId: number;
  /** hdlr handler_type: 'vide', 'soun', … */
  handlerType: string;
  kind: 'video' | 'audio' | 'other';
  timescale: number;
  /** Type of the first sample entry: avc1, hvc1, mp4a, ulaw, … */
  sampleEntryType: string;
  /** The whole first sample entry box (a view): equal bytes mean an identical decoder configuration. */
  sampleEntry: Uint8Array;
  width?: number;
  height?: number;
  channels?: number;
  sampleRate?: number;
  /** trex defaults (§8.8.3). */
  defaultSampleDuration: number;
  defaultSampleSize: number;
  defaultSampleFlags: number;
}

export interface Mp4Sample {
  trackId: number;
  /** Decode time in the track timescale (tfdt + preceding durations). */
  decodeTime: number;
  compositionOffset: number;
  duration: number;
  size: number;
  /** Absolute offset of the sample bytes in the input. */
  offset: number;
  /** sample_flags as resolved from trun / tfhd / trex. */
  flags: number;
  /** !sample_is_non_sync_sample */
  keyframe: boolean;
}

export interface Mp4Fragment {
  sequenceNumber: number;
  /** First byte of the moof. */
  offset: number;
  /** One past the last byte of the fragment (end of its mdat). */
  end: number;
  /** All samples of the fragment, traf by traf, in trun order. */
  samples: Mp4Sample[];
}

export interface FragmentedMp4 {
  tracks: Mp4Track[];
  /** ftyp + moov bytes: a view of the input from its start to the end of the moov. */
  init: Uint8Array;
  fragments: Mp4Fragment[];
  /** End of the last complete fragment (or of the init segment): a recovery point for a crashed writer. */
  completeLength: number;
  /** True when bytes after `completeLength` form an incomplete box or fragment. */
  truncated: boolean;
}

interface Trex {
  defaultSampleDescriptionIndex: number;
  defaultSampleDuration: number;
  defaultSampleSize: number;
  defaultSampleFlags: number;
}

function parseTrex(data: Uint8Array, b: BoxHeader): [number, Trex] {
  const c = new BoxCursor(data, b);
  c.fullBoxHeader();
  const trackId = c.u32(); // track_ID
  return [
    trackId,
    {
      defaultSampleDescriptionIndex: c.u32(), // default_sample_description_index
      defaultSampleDuration: c.u32(), // default_sample_duration
      defaultSampleSize: c.u32(), // default_sample_size
      defaultSampleFlags: c.u32(), // default_sample_flags
    },
  ];
}

function required(b: BoxHeader | undefined, what: string): BoxHeader {
  if (!b) throw new MediaParseError('missing', `no '${what}' box`);
  return b;
}

function parseTrak(data: Uint8Array, trak: BoxHeader, trexes: Map<number, Trex>): Mp4Track {
  const tkhd = new BoxCursor(data, required(findChild(data, trak, 'tkhd'), 'tkhd'));
  const tkhdVersion = tkhd.fullBoxHeader().version;
  tkhd.skip(tkhdVersion === 1 ? 16 : 8); // creation_time, modification_time
  const trackId = tkhd.u32(); // track_ID

  const mdia = required(findChild(data, trak, 'mdia'), 'mdia');
  const mdhd = new BoxCursor(data, required(findChild(data, mdia, 'mdhd'), 'mdhd'));
  const mdhdVersion = mdhd.fullBoxHeader().version;
  mdhd.skip(mdhdVersion === 1 ? 16 : 8); // creation_time, modification_time
  const timescale = mdhd.u32(); // timescale
  if (timescale === 0) throw new MediaParseError('invalid', `track ${trackId} has timescale 0`);

  const hdlr = new BoxCursor(data, required(findChild(data, mdia, 'hdlr'), 'hdlr'));
  hdlr.fullBoxHeader();
  hdlr.skip(4); // pre_defined
  const handlerType = hdlr.fourcc(); // handler_type

  const minf = required(findChild(data, mdia, 'minf'), 'minf');
  const stbl = required(findChild(data, minf, 'stbl'), 'stbl');
  const stsdBox = required(findChild(data, stbl, 'stsd'), 'stsd');
  const stsd = new BoxCursor(data, stsdBox);
  stsd.fullBoxHeader();
  if (stsd.u32() < 1) throw new MediaParseError('missing', `track ${trackId} has no sample entry`); // entry_count
  const entry = childBoxes(data, stsd.pos, stsdBox.end)[0];
  if (!entry) throw new MediaParseError('missing', `track ${trackId} has no sample entry`);
  const kind = handlerType === 'vide' ? 'video' : handlerType === 'soun' ? 'audio' : 'other';
  const track: Mp4Track = {
    trackId,
    handlerType,
    kind,
    timescale,
    sampleEntryType: entry.type,
    sampleEntry: data.subarray(entry.start, entry.end),
    defaultSampleDuration: 0,
    defaultSampleSize: 0,
    defaultSampleFlags: 0,
  };
  const e = new BoxCursor(data, entry);
  if (kind === 'video') {
    e.skip(6 + 2 + 16); // reserved, data_reference_index, pre_defined, reserved, pre_defined[3]
    track.width = e.u16(); // width
    track.height = e.u16(); // height
  } else if (kind === 'audio') {
    e.skip(6 + 2 + 8); // reserved, data_reference_index, reserved[2]
    track.channels = e.u16(); // channelcount
    e.skip(2 + 2 + 2); // samplesize, pre_defined, reserved
    track.sampleRate = e.u32() >>> 16; // samplerate (16.16)
  }
  const trex = trexes.get(trackId);
  if (trex) {
    track.defaultSampleDuration = trex.defaultSampleDuration;
    track.defaultSampleSize = trex.defaultSampleSize;
    track.defaultSampleFlags = trex.defaultSampleFlags;
  }
  return track;
}

function parseMoov(data: Uint8Array, moov: BoxHeader): Mp4Track[] {
  const children = childBoxes(data, moov.payloadStart, moov.end);
  const trexes = new Map<number, Trex>();
  const mvex = children.find((b) => b.type === 'mvex');
  if (mvex) {
    for (const b of childBoxes(data, mvex.payloadStart, mvex.end)) {
      if (b.type === 'trex') {
        const [id, t] = parseTrex(data, b);
        trexes.set(id, t);
      }
    }
  }
  return children.filter((b) => b.type === 'trak').map((t) => parseTrak(data, t, trexes));
}

/**
 * Upper bound on samples in one moof. A trun whose per-sample fields are all defaulted has nothing else
 * bounding its sample_count; a GOP of a camera stream has a few hundred samples.
 */
const MAX_SAMPLES_PER_MOOF = 1_000_000;

/**
 * Parses one moof (§8.8.4): samples with resolved flags and decode times. `data` holds the moof at
 * `moof.start`; `fileShift` is added to positions in `data` to make sample offsets absolute in the file.
 */
function parseMoof(
  data: Uint8Array,
  moof: BoxHeader,
  fileShift: number,
  tracks: Map<number, Mp4Track>,
  nextDecodeTime: Map<number, number>,
): { sequenceNumber: number; samples: Mp4Sample[] } {
  let sequenceNumber = 0;
  const samples: Mp4Sample[] = [];
  const moofStart = moof.start + fileShift;
  let previousTrafDataEnd = moofStart;
  for (const b of childBoxes(data, moof.payloadStart, moof.end)) {
    if (b.type === 'mfhd') {
      const c = new BoxCursor(data, b);
      c.fullBoxHeader();
      sequenceNumber = c.u32(); // sequence_number
      continue;
    }
    if (b.type !== 'traf') continue;
    const children = childBoxes(data, b.payloadStart, b.end);
    const tfhd = new BoxCursor(data, required(children.find((x) => x.type === 'tfhd'), 'tfhd'));
    const tfFlags = tfhd.fullBoxHeader().flags;
    const trackId = tfhd.u32(); // track_ID
    const track = tracks.get(trackId);
    if (!track) throw new MediaParseError('invalid', `traf for unknown track ${trackId}`);
    let base: number;
    if (tfFlags & TFHD_BASE_DATA_OFFSET) base = tfhd.u64(); // base_data_offset
    else if (tfFlags & TFHD_DEFAULT_BASE_IS_MOOF) base = moofStart;
    else base = previousTrafDataEnd; // §8.8.7.1: the moof for the first traf, else the end of the previous traf's data
    if (tfFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) tfhd.u32(); // sample_description_index
    const defaultDuration = tfFlags & TFHD_DEFAULT_SAMPLE_DURATION ? tfhd.u32() : track.defaultSampleDuration; // default_sample_duration
    const defaultSize = tfFlags & TFHD_DEFAULT_SAMPLE_SIZE ? tfhd.u32() : track.defaultSampleSize; // default_sample_size
    const defaultFlags = tfFlags & TFHD_DEFAULT_SAMPLE_FLAGS ? tfhd.u32() : track.defaultSampleFlags; // default_sample_flags

    let decodeTime = nextDecodeTime.get(trackId) ?? 0;
    const tfdtBox = children.find((x) => x.type === 'tfdt');
    if (tfdtBox) {
      const c = new BoxCursor(data, tfdtBox);
      decodeTime = c.fullBoxHeader().version === 1 ? c.u64() : c.u32(); // baseMediaDecodeTime
    }

    let dataPos = base;
    for (const trunBox of children.filter((x) => x.type === 'trun')) {
      const c = new BoxCursor(data, trunBox);
      const { version, flags: trFlags } = c.fullBoxHeader();
      const count = c.u32(); // sample_count
      if (trFlags & TRUN_DATA_OFFSET) dataPos = base + c.i32(); // data_offset
      const firstFlags = trFlags & TRUN_FIRST_SAMPLE_FLAGS ? c.u32() : undefined; // first_sample_flags
      const hasDuration = (trFlags & TRUN_SAMPLE_DURATION) !== 0;
      const hasSize = (trFlags & TRUN_SAMPLE_SIZE) !== 0;
      const hasFlags = (trFlags & TRUN_SAMPLE_FLAGS) !== 0;
      const hasCto = (trFlags & TRUN_SAMPLE_COMPOSITION_TIME_OFFSET) !== 0;
      if (samples.length + count > MAX_SAMPLES_PER_MOOF) {
        throw new MediaParseError('invalid', `moof at ${moofStart} declares more than ${MAX_SAMPLES_PER_MOOF} samples`);
      }
      for (let i = 0; i < count; i++) {
        const duration = hasDuration ? c.u32() : defaultDuration; // sample_duration
        const size = hasSize ? c.u32() : defaultSize; // sample_size
        let flags = hasFlags ? c.u32() : defaultFlags; // sample_flags
        if (i === 0 && firstFlags !== undefined) flags = firstFlags;
        const compositionOffset = hasCto ? (version === 0 ? c.u32() : c.i32()) : 0; // sample_composition_time_offset
        samples.push({ trackId, decodeTime, compositionOffset, duration, size, offset: dataPos, flags, keyframe: (flags & SAMPLE_IS_NON_SYNC) === 0 });
        decodeTime += duration;
        dataPos += size;
      }
    }
    previousTrafDataEnd = dataPos;
    nextDecodeTime.set(trackId, decodeTime);
  }
  return { sequenceNumber, samples };
}

/** A read the scanner needs: `length` bytes at `offset` (never past the end of the file). */
interface ReadRequest {
  offset: number;
  length: number;
}

/** Largest box header: size, type, largesize. */
const MAX_BOX_HEADER = 16;

/**
 * The parsing logic, independent of where the bytes come from: it yields the reads it needs and receives the
 * bytes. Only box headers, the moov and the moofs are read; mdat payloads are skipped by their sizes.
 */
function* scan(size: number): Generator<ReadRequest, FragmentedMp4, Uint8Array> {
  let off = 0;
  let moovEnd = -1;
  const trackById = new Map<number, Mp4Track>();
  let tracks: Mp4Track[] = [];
  const nextDecodeTime = new Map<number, number>();
  const fragments: Mp4Fragment[] = [];
  let completeLength = 0;
  let truncated = false;
  let pending: { offset: number; sequenceNumber: number; samples: Mp4Sample[] } | null = null;

  const closePending = (end: number): boolean => {
    if (!pending) return true;
    for (const s of pending.samples) {
      if (s.offset < 0 || s.offset + s.size > size) return false;
    }
    fragments.push({ ...pending, end });
    completeLength = end;
    pending = null;
    return true;
  };

  while (off < size) {
    const head = yield { offset: off, length: Math.min(MAX_BOX_HEADER, size - off) };
    const rel = readBoxHeader(head, 0);
    if (!rel) {
      truncated = true;
      break;
    }
    // size 0 means "to the end of the file", not to the end of the few bytes read here.
    const toEnd = head[0] === 0 && head[1] === 0 && head[2] === 0 && head[3] === 0;
    const boxSize = toEnd ? size - off : rel.end;
    const h: BoxHeader = { type: rel.type, start: off, payloadStart: off + rel.payloadStart, end: off + boxSize };
    if (h.end > size) {
      truncated = true;
      break;
    }
    if (h.type === 'moov') {
      // §8.2.1: exactly one moov. A second one would swap the tracks under fragments already indexed
      // against the first, which then name tracks the file's moov does not have.
      if (moovEnd >= 0) throw new MediaParseError('invalid', `a second moov box at ${off}`);
      const box = yield { offset: off, length: boxSize };
      tracks = parseMoov(box, { ...rel, start: 0, end: boxSize });
      for (const t of tracks) trackById.set(t.trackId, t);
      moovEnd = h.end;
      completeLength = h.end;
    } else if (h.type === 'moof') {
      if (moovEnd < 0) throw new MediaParseError('missing', 'moof before moov');
      if (!closePending(h.start)) {
        truncated = true;
        break;
      }
      const box = yield { offset: off, length: boxSize };
      const parsed = parseMoof(box, { ...rel, start: 0, end: boxSize }, off, trackById, nextDecodeTime);
      pending = { offset: h.start, ...parsed };
    } else if (h.type === 'mdat' && pending) {
      if (!closePending(h.end)) {
        truncated = true;
        break;
      }
    } else if (!pending) {
      completeLength = h.end; // ftyp, styp, sidx, free … between fragments
    }
    off = h.end;
  }
  if (moovEnd < 0) throw new MediaParseError(truncated ? 'truncated' : 'missing', 'no complete moov box');
  if (pending) truncated = true; // a moof without its mdat
  const init = yield { offset: 0, length: moovEnd };
  return { tracks, init, fragments, completeLength, truncated };
}

/**
 * Parses a fragmented MP4 (ISO/IEC 14496-12 §8.8) held in memory: init segment, then moof + mdat pairs.
 * A truncated tail (a crashed or still-growing recording) is not an error: parsing stops at the last
 * complete fragment and `truncated` is set. A malformed box before that point throws MediaParseError.
 * Sample entries and `init` are views into `data`.
 */
export function readFragmentedMp4(data: Uint8Array): FragmentedMp4 {
  const it = scan(data.length);
  let step = it.next();
  while (!step.done) step = it.next(data.subarray(step.value.offset, step.value.offset + step.value.length));
  return step.value;
}

/** Random access to a file's bytes (a file handle in the API), so only headers and moofs are read. */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset` (the reader never asks past `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** readFragmentedMp4 over a ByteSource: reads box headers, the moov and the moofs, never the mdat payloads. */
export async function indexFragmentedMp4(source: ByteSource): Promise<FragmentedMp4> {
  const it = scan(source.size);
  let step = it.next();
  while (!step.done) {
    const bytes = await source.read(step.value.offset, step.value.length);
    if (bytes.length !== step.value.length) {
      throw new MediaParseError('truncated', `short read at ${step.value.offset}: ${bytes.length} of ${step.value.length} bytes`);
    }
    step = it.next(bytes);
  }
  return step.value;
}

/** Decode time of a sample in µs from the file's time zero. */
export function sampleTimeUs(track: Mp4Track, decodeTime: number): number {
  return Math.round((decodeTime * 1e6) / track.timescale);
}
