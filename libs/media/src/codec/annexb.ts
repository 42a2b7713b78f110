import { MediaParseError } from '../errors';

/**
 * Annex-B byte stream (H.264 Annex B, H.265 Annex B): NAL units separated by 0x000001 or 0x00000001.
 * Splitting returns subarray views into the input; nothing is copied.
 */

/** Index of the next start code prefix (the first 0x00 of 0x000001) at or after `from`, or −1. */
function nextStartCode(b: Uint8Array, from: number): number {
  const end = b.length - 2;
  for (let i = from; i < end; i++) {
    // Skip fast: a start code needs b[i+2] === 1 with two zeros before it.
    const c = b[i + 2];
    if (c > 1) {
      i += 2;
      continue;
    }
    if (c === 1 && b[i] === 0 && b[i + 1] === 0) return i;
  }
  return -1;
}

/**
 * NAL units of an Annex-B buffer, as views. Bytes before the first start code are dropped (FACTS §10.5);
 * trailing zero bytes (trailing_zero_8bits, the leading zero of a 4-byte start code) are trimmed;
 * empty NAL units are skipped.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const nals: Uint8Array[] = [];
  let sc = nextStartCode(data, 0);
  while (sc >= 0) {
    const start = sc + 3;
    const next = nextStartCode(data, start);
    let end = next < 0 ? data.length : next;
    while (end > start && data[end - 1] === 0) end--;
    if (end > start) nals.push(data.subarray(start, end));
    sc = next;
  }
  return nals;
}

/** True when the buffer begins with a start code (3 or 4 bytes). */
export function isAnnexB(data: Uint8Array): boolean {
  return (
    data.length >= 4 &&
    data[0] === 0 &&
    data[1] === 0 &&
    (data[2] === 1 || (data[2] === 0 && data[3] === 1))
  );
}

/**
 * An MP4 video sample (NAL units after 4-byte lengths, ISO/IEC 14496-15 §4.3) back in Annex-B form, after
 * the given parameter sets: what a decoder reading an elementary stream (ffmpeg -f h264/hevc) takes.
 * Throws MediaParseError('truncated') when a length runs past the sample.
 */
export function sampleToAnnexB(parameterSets: readonly Uint8Array[], sample: Uint8Array): Uint8Array {
  const nals: Uint8Array[] = [...parameterSets];
  const dv = new DataView(sample.buffer, sample.byteOffset, sample.length);
  for (let o = 0; o < sample.length; ) {
    if (o + 4 > sample.length) throw new MediaParseError('truncated', `NAL unit length at ${o} runs past the sample`);
    const n = dv.getUint32(o);
    if (o + 4 + n > sample.length) throw new MediaParseError('truncated', `NAL unit of ${n} bytes at ${o} runs past the sample`);
    nals.push(sample.subarray(o + 4, o + 4 + n));
    o += 4 + n;
  }
  let size = 0;
  for (const nal of nals) size += 4 + nal.length;
  const out = new Uint8Array(size);
  let p = 0;
  for (const nal of nals) {
    out[p + 3] = 1; // start code 00 00 00 01
    out.set(nal, p + 4);
    p += 4 + nal.length;
  }
  return out;
}
