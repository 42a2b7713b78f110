import { TutkParseError } from './parse-error';

/** Deterministic xorshift32, so a fuzz failure replays from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

/** Random bytes, or a valid sample with a few bytes flipped, truncated or extended. */
export function mutate(rand: () => number, samples: Uint8Array[], maxLen = 1500): Uint8Array {
  const r = rand();
  if (samples.length === 0 || r < 0.25) {
    const b = new Uint8Array(Math.floor(rand() * maxLen));
    for (let i = 0; i < b.length; i++) b[i] = (rand() * 256) | 0;
    return b;
  }
  const base = samples[(rand() * samples.length) | 0];
  let b = Uint8Array.from(base);
  const op = rand();
  if (op < 0.4) {
    const flips = 1 + ((rand() * 4) | 0);
    for (let i = 0; i < flips && b.length; i++) b[(rand() * b.length) | 0] = (rand() * 256) | 0;
  } else if (op < 0.7) {
    b = b.subarray(0, (rand() * b.length) | 0);
  } else if (op < 0.85) {
    const extra = new Uint8Array((rand() * 64) | 0).map(() => (rand() * 256) | 0);
    const out = new Uint8Array(b.length + extra.length);
    out.set(b);
    out.set(extra, b.length);
    b = out;
  } else {
    // set a length-looking field to an extreme value
    if (b.length >= 4) {
      const o = (rand() * (b.length - 3)) | 0;
      b[o] = 0xff;
      b[o + 1] = 0xff;
    }
  }
  return b;
}

/**
 * Feeds `count` inputs to `parse`; anything thrown other than TutkParseError fails, with the seed and
 * input in the message. Returns how many inputs were rejected with the typed error.
 */
export function fuzzParser(parse: (b: Uint8Array) => unknown, samples: Uint8Array[], count = 100_000, seed = 1): number {
  const rand = rng(seed);
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const input = mutate(rand, samples);
    try {
      parse(input);
    } catch (e) {
      if (e instanceof TutkParseError) {
        rejected++;
        continue;
      }
      throw new Error(`parser threw ${(e as Error)?.name}: ${(e as Error)?.message} on input #${i} (seed ${seed}): ${Buffer.from(input).toString('hex').slice(0, 400)}`);
    }
  }
  return rejected;
}
