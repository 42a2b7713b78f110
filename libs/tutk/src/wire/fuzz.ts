import { TutkParseError } from './parse-error';

/**
 * Inputs per parser in the unit tier. A few thousand seeded inputs reach every error path the mutator
 * can reach and replay the same bytes on every run, so a regression fails the same way twice;
 * `npm run fuzz` runs the millions. FUZZ_INPUTS overrides it (e.g. to replay a long run in a spec).
 */
export const FUZZ_INPUTS = inputsFromEnv(process.env.FUZZ_INPUTS, 3000);

function inputsFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`FUZZ_INPUTS must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

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

/** An input that did something other than parse or fail with the typed error. */
export interface FuzzFinding {
  kind: 'crash' | 'hang';
  /** Position in the seeded sequence: `seed` and `index` regenerate the input from the same samples. */
  index: number;
  seed: number;
  ms: number;
  error?: string;
  input: Uint8Array;
}

export interface FuzzRun {
  inputs: number;
  rejected: number;
  findings: FuzzFinding[];
}

export interface FuzzOptions {
  count?: number;
  seed?: number;
  /** The parser's own error type; anything else thrown is a crash. */
  isTypedError?: (e: unknown) => boolean;
  /** An input that takes longer than this, twice, is a hang. Off by default: a loaded test machine is no clock. */
  hangMs?: number;
  /** Stop after this many findings. */
  maxFindings?: number;
  /** Called before each input, e.g. for a watchdog outside the thread that can see a parser that never returns. */
  beforeInput?: (index: number, input: Uint8Array) => void;
}

export function runFuzz(parse: (b: Uint8Array) => unknown, samples: Uint8Array[], o: FuzzOptions = {}): FuzzRun {
  const { count = FUZZ_INPUTS, seed = 1, isTypedError = (e) => e instanceof TutkParseError, hangMs, maxFindings = Infinity, beforeInput } = o;
  const rand = rng(seed);
  const run: FuzzRun = { inputs: 0, rejected: 0, findings: [] };
  for (let i = 0; i < count && run.findings.length < maxFindings; i++) {
    const input = mutate(rand, samples);
    beforeInput?.(i, input);
    const t0 = hangMs === undefined ? 0 : performance.now();
    let error: unknown;
    let threw = false;
    try {
      parse(input);
    } catch (e) {
      threw = true;
      error = e;
    }
    run.inputs++;
    let ms = hangMs === undefined ? 0 : performance.now() - t0;
    if (threw && isTypedError(error)) run.rejected++;
    else if (threw) run.findings.push({ kind: 'crash', index: i, seed, ms, error: `${(error as Error)?.name}: ${(error as Error)?.message}`, input });
    if (hangMs !== undefined && ms > hangMs) {
      // Timed once more: a thread paused by a busy machine or a collection is no hang, a slow input is slow twice.
      const t1 = performance.now();
      try {
        parse(input);
      } catch {
        // its outcome was counted above
      }
      ms = Math.min(ms, performance.now() - t1);
      if (ms > hangMs) run.findings.push({ kind: 'hang', index: i, seed, ms, input });
    }
  }
  return run;
}

export function describeFinding(f: FuzzFinding, hexChars = 400): string {
  const what = f.kind === 'crash' ? `parser threw ${f.error}` : `parser took ${f.ms.toFixed(0)} ms`;
  return `${what} on input #${f.index} (seed ${f.seed}): ${Buffer.from(f.input).toString('hex').slice(0, hexChars)}`;
}

/**
 * Feeds `count` inputs to `parse`; anything thrown other than TutkParseError fails, with the seed and
 * input in the message. Returns how many inputs were rejected with the typed error.
 */
export function fuzzParser(parse: (b: Uint8Array) => unknown, samples: Uint8Array[], count = FUZZ_INPUTS, seed = 1): number {
  const run = runFuzz(parse, samples, { count, seed, maxFindings: 1 });
  if (run.findings.length) throw new Error(describeFinding(run.findings[0]));
  return run.rejected;
}
