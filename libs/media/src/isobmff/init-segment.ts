import type { StreamConfig } from '../stream-config';
import { concatBytes } from '@wyze-nvr/bytes';
import { ByteBuilder, box, fullBox } from './bytes';
import { audioSampleEntry, type G711Storage, videoSampleEntry } from './sample-entry';

/** Track ids and timescales the writer uses; the reader never assumes them. */
export const VIDEO_TRACK_ID = 1;
export const AUDIO_TRACK_ID = 2;
export const VIDEO_TIMESCALE = 90000;
const MOVIE_TIMESCALE = 1000;

const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** FileTypeBox (ISO/IEC 14496-12 §4.3). iso6: movie fragments with tfdt; mp41 for older players. */
export function ftyp(): Uint8Array {
  const w = new ByteBuilder();
  w.fourcc('iso6'); // major_brand
  w.u32(0); // minor_version
  for (const brand of ['iso6', 'isom', 'mp41']) w.fourcc(brand); // compatible_brands
  return box('ftyp', w.build());
}

/** MovieHeaderBox (§8.2.2), version 0; duration 0 because all samples are in fragments. */
function mvhd(nextTrackId: number): Uint8Array {
  const w = new ByteBuilder();
  w.u32(0); // creation_time
  w.u32(0); // modification_time
  w.u32(MOVIE_TIMESCALE); // timescale
  w.u32(0); // duration
  w.u32(0x00010000); // rate = 1.0
  w.u16(0x0100); // volume = 1.0
  w.zeros(2 + 8); // reserved (16), reserved[2] (32)
  for (const m of UNITY_MATRIX) w.u32(m); // matrix
  w.zeros(24); // pre_defined[6]
  w.u32(nextTrackId); // next_track_ID
  return fullBox('mvhd', 0, 0, w.build());
}

/** TrackHeaderBox (§8.3.2), version 0, flags track_enabled | track_in_movie. */
function tkhd(trackId: number, audio: boolean, width: number, height: number): Uint8Array {
  const w = new ByteBuilder();
  w.u32(0); // creation_time
  w.u32(0); // modification_time
  w.u32(trackId); // track_ID
  w.u32(0); // reserved
  w.u32(0); // duration
  w.zeros(8); // reserved[2]
  w.u16(0); // layer
  w.u16(0); // alternate_group
  w.u16(audio ? 0x0100 : 0); // volume
  w.u16(0); // reserved
  for (const m of UNITY_MATRIX) w.u32(m); // matrix
  w.u32(width * 0x10000); // width, 16.16
  w.u32(height * 0x10000); // height, 16.16
  return fullBox('tkhd', 0, 0x000003, w.build());
}

/** MediaHeaderBox (§8.4.2), version 0, language 'und'. */
function mdhd(timescale: number): Uint8Array {
  const w = new ByteBuilder();
  w.u32(0); // creation_time
  w.u32(0); // modification_time
  w.u32(timescale); // timescale
  w.u32(0); // duration
  w.u16(0x55c4); // pad(1) = 0, language = 'und' (ISO-639-2/T, 5 bits per letter − 0x60)
  w.u16(0); // pre_defined
  return fullBox('mdhd', 0, 0, w.build());
}

/** HandlerBox (§8.4.3). */
function hdlr(handlerType: 'vide' | 'soun', name: string): Uint8Array {
  const w = new ByteBuilder();
  w.u32(0); // pre_defined
  w.fourcc(handlerType); // handler_type
  w.zeros(12); // reserved[3]
  for (const c of name) w.u8(c.charCodeAt(0)); // name, UTF-8, null-terminated
  w.u8(0);
  return fullBox('hdlr', 0, 0, w.build());
}

/** DataInformationBox (§8.7.1) with one self-contained `url ` entry (flags = 1). */
function dinf(): Uint8Array {
  const dref = fullBox('dref', 0, 0, new ByteBuilder().u32(1).build(), fullBox('url ', 0, 1)); // entry_count = 1
  return box('dinf', dref);
}

/** SampleTableBox (§8.5.1): the sample entry, and empty tables (samples are in fragments, §8.8). */
function stbl(sampleEntry: Uint8Array): Uint8Array {
  const stsd = fullBox('stsd', 0, 0, new ByteBuilder().u32(1).build(), sampleEntry); // entry_count = 1
  const empty = new ByteBuilder().u32(0).build();
  return box(
    'stbl',
    stsd,
    fullBox('stts', 0, 0, empty), // entry_count = 0
    fullBox('stsc', 0, 0, empty), // entry_count = 0
    fullBox('stsz', 0, 0, new ByteBuilder().u32(0).u32(0).build()), // sample_size = 0, sample_count = 0
    fullBox('stco', 0, 0, empty), // entry_count = 0
  );
}

function trak(trackId: number, audio: boolean, timescale: number, width: number, height: number, sampleEntry: Uint8Array): Uint8Array {
  const mediaHeader = audio
    ? fullBox('smhd', 0, 0, new ByteBuilder().u16(0).u16(0).build()) // balance, reserved
    : fullBox('vmhd', 0, 1, new ByteBuilder().u16(0).zeros(6).build()); // graphicsmode, opcolor[3]
  const minf = box('minf', mediaHeader, dinf(), stbl(sampleEntry));
  const mdia = box('mdia', mdhd(timescale), hdlr(audio ? 'soun' : 'vide', audio ? 'SoundHandler' : 'VideoHandler'), minf);
  return box('trak', tkhd(trackId, audio, width, height), mdia);
}

/** TrackExtendsBox (§8.8.3): no useful defaults; every trun carries its own durations, sizes and flags. */
function trex(trackId: number): Uint8Array {
  const w = new ByteBuilder();
  w.u32(trackId); // track_ID
  w.u32(1); // default_sample_description_index
  w.u32(0); // default_sample_duration
  w.u32(0); // default_sample_size
  w.u32(0); // default_sample_flags
  return fullBox('trex', 0, 0, w.build());
}

/** Timescale of the audio track: its sample rate, so one tick is one PCM sample. */
export function audioTimescale(config: StreamConfig): number {
  return config.audio?.sampleRate ?? 0;
}

/** Initialisation segment (ISO/IEC 14496-12 §8.8.1): ftyp + moov with one trak per track and mvex. */
export function buildInitSegment(config: StreamConfig, g711: G711Storage): Uint8Array {
  const traks: Uint8Array[] = [];
  const trexes: Uint8Array[] = [];
  if (config.video) {
    const v = config.video;
    traks.push(trak(VIDEO_TRACK_ID, false, VIDEO_TIMESCALE, v.width, v.height, videoSampleEntry(v)));
    trexes.push(trex(VIDEO_TRACK_ID));
  }
  if (config.audio) {
    traks.push(trak(AUDIO_TRACK_ID, true, config.audio.sampleRate, 0, 0, audioSampleEntry(config.audio, g711)));
    trexes.push(trex(AUDIO_TRACK_ID));
  }
  const moov = box('moov', mvhd(AUDIO_TRACK_ID + 1), ...traks, box('mvex', ...trexes));
  return concatBytes(ftyp(), moov);
}
