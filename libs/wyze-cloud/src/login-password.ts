import { wyzePasswordHash } from '@wyze-nvr/tutk/av/password-hash';

const MD5_PREFIX = /^md5:/i;

/**
 * The `password` field of the login body (FACTS §12.1): the triple MD5 of the trimmed password, or,
 * for a password written `md5:<hash>`, the hash as given (prefix matched case-insensitively after trimming).
 */
export function loginPasswordHash(password: string): string {
  const p = password.trim();
  if (MD5_PREFIX.test(p)) return p.slice(4).trim();
  return wyzePasswordHash(p);
}
