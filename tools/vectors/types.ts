/** One vector of a `wyze-tutk-vectors/1` file (../shared/protocol/vectors.json; FACTS §17 defines every kind). */
export interface Vector {
  name: string;
  kind: string;
  description?: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
}

/** Checks one vector; throws (any Error) with a message saying what differed. */
export type VectorCheck = (v: Vector) => void | Promise<void>;

export type VectorKinds = Record<string, VectorCheck>;

export class VectorMismatch extends Error {
  constructor(field: string, expected: unknown, actual: unknown) {
    super(`${field}: expected ${String(expected)}, got ${String(actual)}`);
    this.name = 'VectorMismatch';
  }
}

/** Compares `actual` with the expected value; hex strings compare case-insensitively. */
export function expectEqual(field: string, expected: unknown, actual: unknown): void {
  const norm = (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : JSON.stringify(x));
  if (norm(expected) !== norm(actual)) throw new VectorMismatch(field, typeof expected === 'string' ? expected : JSON.stringify(expected), typeof actual === 'string' ? actual : JSON.stringify(actual));
}

export const hex = (s: unknown): Uint8Array => {
  if (typeof s !== 'string' || s.length % 2 !== 0 || /[^0-9a-f]/i.test(s)) throw new Error(`not a hex string: ${String(s).slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
};
export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
