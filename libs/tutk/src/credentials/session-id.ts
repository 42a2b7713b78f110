import { randomFillSync } from 'node:crypto';

/** Length of the session id ("sid") carried by both flavours (FACTS §4.2, §5.2). */
export const SESSION_ID_LENGTH = 8;

/**
 * A fresh sid. FACTS §4.2: any 8 bytes work; go2rtc uses the time in nanoseconds, which is predictable,
 * so we draw random bytes. A CC51 client later adopts whatever sid the camera replies with (§5.2).
 */
export function randomSessionId(): Uint8Array {
  return randomFillSync(new Uint8Array(SESSION_ID_LENGTH));
}

/** go2rtc's recipe (FACTS §4.2): Unix time in nanoseconds as a LE u64. Useful to mimic its captures. */
export function sessionIdFromUnixNanos(nanos: bigint): Uint8Array {
  const sid = new Uint8Array(SESSION_ID_LENGTH);
  new DataView(sid.buffer).setBigUint64(0, BigInt.asUintN(64, nanos), true);
  return sid;
}

export function assertSessionId(sid: Uint8Array): void {
  if (sid.length !== SESSION_ID_LENGTH) throw new RangeError(`session id must be ${SESSION_ID_LENGTH} bytes, got ${sid.length}`);
}
