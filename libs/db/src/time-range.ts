/** SQL expressions for the start and end of a half-open interval [start, end) of int8 µs. */
export type SqlInterval = readonly [start: string, end: string];

/**
 * The one way an overlap of two half-open intervals is written. `int8range(…, '[)')` is the GiST
 * index expression, so a test against a column pair can be an index scan, and a NULL end gives an
 * unbounded range, i.e. an interval that is still open.
 */
export function intervalsOverlap(a: SqlInterval, b: SqlInterval): string {
  return `int8range(${a[0]}, ${a[1]}, '[)') && int8range(${b[0]}, ${b[1]}, '[)')`;
}

/**
 * The overlap test every time-indexed table uses, written exactly as the GiST index expression
 * `(camera_id, int8range(start_us, end_us, '[)'))` so PostgreSQL answers it with an index scan.
 * Parameters: :cameraId, :fromUs, :toUs.
 */
export function overlapCondition(alias: string): string {
  return `${alias}.camera_id = :cameraId AND ${windowOverlapCondition(alias)}`;
}

/** overlapCondition without the camera: rows of every camera overlapping [:fromUs, :toUs). */
export function windowOverlapCondition(alias: string): string {
  return intervalsOverlap([`${alias}.start_us`, `${alias}.end_us`], ['CAST(:fromUs AS int8)', 'CAST(:toUs AS int8)']);
}

/**
 * Checks a half-open query window [fromUs, toUs) of µs since the epoch. Returns false when the
 * window is empty (toUs <= fromUs), which callers answer without a query.
 */
export function isNonEmptyWindow(fromUs: number, toUs: number): boolean {
  if (!Number.isSafeInteger(fromUs) || !Number.isSafeInteger(toUs)) {
    throw new RangeError(`time window bounds must be integer µs, got [${fromUs}, ${toUs})`);
  }
  return toUs > fromUs;
}
