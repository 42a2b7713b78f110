// A window's items fetched as a few time slices at once rather than as one list paged in sequence: the
// all-cameras day has ~1,500 events, which GET /events (at most 500 a page) answered in three pages, each
// waiting for the previous one's cursor. Slices are fetched in parallel (each still follows its own cursor).

/** [fromMs, toMs) cut into `n` consecutive slices of (nearly) equal length, whole milliseconds. */
export function windowSlices(fromMs: number, toMs: number, n: number): { fromMs: number; toMs: number }[] {
  const count = Math.max(1, Math.min(n, toMs - fromMs));
  const out: { fromMs: number; toMs: number }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ fromMs: fromMs + Math.round(((toMs - fromMs) * i) / count), toMs: fromMs + Math.round(((toMs - fromMs) * (i + 1)) / count) });
  }
  return out;
}

/**
 * Every item overlapping [fromMs, toMs), loading `n` slices in parallel; an item overlapping several slices
 * (spanning a boundary, or still open) is kept once. Items stay in start order: one a slice holds that no
 * earlier slice holds starts within it.
 */
export async function loadInSlices<T extends { id: number }>(fromMs: number, toMs: number, n: number, load: (fromMs: number, toMs: number) => Promise<T[]>): Promise<T[]> {
  const parts = await Promise.all(windowSlices(fromMs, toMs, n).map((s) => load(s.fromMs, s.toMs)));
  const seen = new Set<number>();
  const out: T[] = [];
  for (const item of parts.flat()) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}
