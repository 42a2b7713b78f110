// Byte-array helpers shared by the protocol engine (libs/tutk) and the media lib (libs/media), which must
// not depend on each other; nothing here knows a format.

/** The parts back to back in one new array: the only copy is each part's bytes, once. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Without `n`: same length and the same bytes. With `n`: both hold at least `n` bytes and the first `n`
 * are the same (a field compared over its checked prefix). Exits at the first difference, so it is not
 * for comparing secrets.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array, n?: number): boolean {
  if (n === undefined) {
    if (a.length !== b.length) return false;
    n = a.length;
  } else if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
