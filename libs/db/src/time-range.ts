/**
 * The overlap test every time-indexed table uses. It is written exactly as the GiST index
 * expression `(camera_id, int8range(start_us, end_us, '[)'))`, so PostgreSQL answers it with an
 * index scan; a NULL end_us gives an unbounded range, i.e. an interval that is still open.
 * Parameters: :cameraId, :fromUs, :toUs.
 */
export function overlapCondition(alias: string): string {
  return `${alias}.camera_id = :cameraId AND ${windowOverlapCondition(alias)}`;
}

/** overlapCondition without the camera: rows of every camera overlapping [:fromUs, :toUs). */
export function windowOverlapCondition(alias: string): string {
  return `int8range(${alias}.start_us, ${alias}.end_us, '[)') && int8range(CAST(:fromUs AS int8), CAST(:toUs AS int8), '[)')`;
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
