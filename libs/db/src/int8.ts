/** PostgreSQL type OIDs (pg_type.oid) whose text form we parse ourselves. */
export const INT8_OID = 20;
export const INT8_ARRAY_OID = 1016;

const INT8_TEXT = /^-?\d{1,19}$/;

/**
 * Parses the text form of an int8 into a JS number. Every int8 we store (µs since the epoch, byte counts,
 * identity ids, COUNT(*)) fits in 2^53, so a number is exact; a value outside that range is an error rather
 * than a silently rounded timestamp.
 */
export function parseInt8(text: string): number {
  // Number('') and Number(' 7') are 0 and 7; only PostgreSQL's own int8 text form is accepted.
  if (!INT8_TEXT.test(text)) throw new RangeError(`not an int8: ${JSON.stringify(text.slice(0, 40))}`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is outside the exactly representable range of a JS number`);
  }
  return value;
}

/** Parses an int8[] literal such as `{1,-2,NULL}`; int8 elements never need quoting. */
export function parseInt8Array(text: string): (number | null)[] {
  if (text.length < 2 || text[0] !== '{' || text[text.length - 1] !== '}') {
    throw new SyntaxError(`not a one-dimensional int8[] literal: ${text.slice(0, 40)}`);
  }
  const body = text.slice(1, -1);
  if (body.length === 0) return [];
  return body.split(',').map((element) => (element === 'NULL' ? null : parseInt8(element)));
}
