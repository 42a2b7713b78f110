import { DomainError } from './domain.error';

/**
 * Opaque pagination cursors: the sort key of the last item returned, base64url-encoded JSON with a
 * kind tag so a cursor from one list is refused by another. Clients must not build them.
 */
export function encodeCursor(kind: string, key: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify([kind, ...key])).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, types: readonly ('number' | 'string')[]): (number | string)[] {
  const invalid = () => new DomainError('validation-failed', 'invalid cursor', { errors: [{ field: 'cursor', reason: 'not a cursor returned by this list' }] });
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length !== types.length + 1) throw invalid();
  const key = parsed.slice(1);
  key.forEach((v, i) => {
    if (types[i] === 'number' ? !Number.isSafeInteger(v) : typeof v !== 'string') throw invalid();
  });
  return key as (number | string)[];
}
