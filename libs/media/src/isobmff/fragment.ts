import { MediaWriteError } from '../errors';

/** sample_flags (ISO/IEC 14496-12 §8.8.3.1): sample_depends_on = 2 (no other sample), sync. */
export const SAMPLE_FLAGS_SYNC = 0x02000000;
/** sample_depends_on = 1 (depends on others), sample_is_non_sync_sample = 1. */
export const SAMPLE_FLAGS_NON_SYNC = 0x01010000;
/** sample_is_non_sync_sample bit of sample_flags. */
export const SAMPLE_IS_NON_SYNC = 0x00010000;

/** tf_flags (§8.8.7.1). */
export const TFHD_BASE_DATA_OFFSET = 0x000001;
export const TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
export const TFHD_DEFAULT_SAMPLE_DURATION = 0x000008;
export const TFHD_DEFAULT_SAMPLE_SIZE = 0x000010;
export const TFHD_DEFAULT_SAMPLE_FLAGS = 0x000020;
export const TFHD_DURATION_IS_EMPTY = 0x010000;
export const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
/** tr_flags (§8.8.8.1). */
export const TRUN_DATA_OFFSET = 0x000001;
export const TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
export const TRUN_SAMPLE_DURATION = 0x000100;
export const TRUN_SAMPLE_SIZE = 0x000200;
export const TRUN_SAMPLE_FLAGS = 0x000400;
export const TRUN_SAMPLE_COMPOSITION_TIME_OFFSET = 0x000800;

/** One track's run in a fragment. The sample bytes themselves go into the mdat, in this order. */
export interface TrackRun {
  trackId: number;
  /** tfdt baseMediaDecodeTime, in the track timescale. */
  baseMediaDecodeTime: number;
  durations: ArrayLike<number>;
  sizes: ArrayLike<number>;
  flags: ArrayLike<number>;
}

const MFHD_SIZE = 16;
const TFHD_SIZE = 16;
const TFDT_SIZE = 20;
const TRUN_HEADER_SIZE = 20;
const TRUN_SAMPLE_SIZE_BYTES = 12;
const MDAT_HEADER_SIZE = 8;

/**
 * moof (§8.8.4) followed by the 8-byte mdat header (§8.1.1), in one allocation. Per traf: tfhd with
 * default-base-is-moof (data offsets are relative to the moof's first byte), tfdt version 1 (64-bit
 * baseMediaDecodeTime, §8.8.12), and one trun with per-sample duration, size and flags (§8.8.8).
 * The mdat payload is the runs' samples back to back, in `runs` order. With `payloadRoom`, that many
 * bytes follow the mdat header in the same allocation, for a caller that writes the samples there; `alloc`
 * may hand out memory that is not zeroed (every header byte is written here).
 */
export function buildMoofAndMdatHeader(sequenceNumber: number, runs: readonly TrackRun[], payloadRoom = 0, alloc: (n: number) => Uint8Array = (n) => new Uint8Array(n)): Uint8Array {
  let moofSize = 8 + MFHD_SIZE;
  let payload = 0;
  for (const run of runs) {
    moofSize += 8 + TFHD_SIZE + TFDT_SIZE + TRUN_HEADER_SIZE + TRUN_SAMPLE_SIZE_BYTES * run.sizes.length;
    for (let i = 0; i < run.sizes.length; i++) payload += run.sizes[i];
  }
  if (MDAT_HEADER_SIZE + payload > 0xffffffff) throw new MediaWriteError('too-large', `fragment of ${payload} bytes needs a 64-bit mdat`);
  const out = alloc(moofSize + MDAT_HEADER_SIZE + payloadRoom);
  const dv = new DataView(out.buffer, out.byteOffset, out.length);
  let p = 0;
  const header = (size: number, type: string) => {
    dv.setUint32(p, size);
    for (let i = 0; i < 4; i++) out[p + 4 + i] = type.charCodeAt(i);
    p += 8;
  };
  const u32 = (v: number) => {
    dv.setUint32(p, v >>> 0);
    p += 4;
  };

  header(moofSize, 'moof');
  header(MFHD_SIZE, 'mfhd');
  u32(0); // version = 0, flags = 0
  u32(sequenceNumber); // sequence_number

  let dataOffset = moofSize + MDAT_HEADER_SIZE;
  for (const run of runs) {
    const n = run.sizes.length;
    const trunSize = TRUN_HEADER_SIZE + TRUN_SAMPLE_SIZE_BYTES * n;
    header(8 + TFHD_SIZE + TFDT_SIZE + trunSize, 'traf');

    header(TFHD_SIZE, 'tfhd');
    u32(TFHD_DEFAULT_BASE_IS_MOOF); // version = 0, tf_flags
    u32(run.trackId); // track_ID

    header(TFDT_SIZE, 'tfdt');
    u32(0x01000000); // version = 1, flags = 0
    u32(Math.floor(run.baseMediaDecodeTime / 0x1_0000_0000)); // baseMediaDecodeTime, high 32 bits
    u32(run.baseMediaDecodeTime >>> 0); // baseMediaDecodeTime, low 32 bits

    header(trunSize, 'trun');
    u32(TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE | TRUN_SAMPLE_FLAGS); // version = 0, tr_flags
    u32(n); // sample_count
    u32(dataOffset); // data_offset, from the first byte of the moof
    for (let i = 0; i < n; i++) {
      u32(run.durations[i]); // sample_duration
      u32(run.sizes[i]); // sample_size
      u32(run.flags[i]); // sample_flags
      dataOffset += run.sizes[i];
    }
  }
  header(MDAT_HEADER_SIZE + payload, 'mdat');
  return out;
}
