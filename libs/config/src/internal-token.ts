import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the token on requests from the API to a recorder's internal server. */
export const INTERNAL_TOKEN_HEADER = 'x-wyze-nvr-internal';

const CONTEXT = 'wyze-nvr internal v1';

/**
 * The token between the API and the recorders: hex HMAC-SHA256(SECRET_KEY, "wyze-nvr internal v1"). Every
 * process of one installation has SECRET_KEY, so none has to be handed a second secret, and the token
 * reveals nothing of the key. Register it with the log redactor (registerSecret) where it is derived.
 */
export function deriveInternalToken(secretKey: Uint8Array): string {
  return createHmac('sha256', secretKey).update(CONTEXT).digest('hex');
}

/** Constant-time comparison of a presented token with the expected one. */
export function isInternalToken(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
