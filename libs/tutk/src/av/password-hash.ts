import { createHash } from 'node:crypto';

/**
 * The password the Wyze auth API expects: MD5 applied three times, each round hashing the previous
 * round's lower-case hex digest (SEED §14.1).
 */
export function wyzePasswordHash(password: string): string {
  let h = password;
  for (let i = 0; i < 3; i++) h = createHash('md5').update(h, 'utf8').digest('hex');
  return h;
}
