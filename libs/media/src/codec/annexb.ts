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
