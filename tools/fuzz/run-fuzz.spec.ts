// The harness under `npm run fuzz` reports what it claims: a crash and a slow input each with a seed and
// index that regenerate the same bytes, typed errors counted and not reported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '@wyze-nvr/tutk';
import { fuzzParser, mutate, rng, runFuzz } from '@wyze-nvr/tutk/wire/fuzz';

const samples = [Uint8Array.from({ length: 64 }, (_, i) => i)];

/** Input `index` of the sequence `seed` gives, made again without running any parser. */
function regenerate(seed: number, index: number): Uint8Array {
  const rand = rng(seed);
  for (let i = 0; i < index; i++) mutate(rand, samples);
  return mutate(rand, samples);
}

describe('runFuzz', () => {
  test('a crash carries the seed and index that regenerate its input; typed errors are only counted', () => {
    const run = runFuzz(
      (b) => {
        if (b.length === 0) throw new RangeError('empty');
        if (b.length < 32) throw new TutkParseError('iotc', 'truncated', 'short');
      },
      samples,
      { count: 2000, seed: 5 },
    );
    assert.equal(run.inputs, 2000);
    assert.ok(run.rejected > 0);
    assert.ok(run.findings.length > 0 && run.findings.every((f) => f.kind === 'crash' && f.error === 'RangeError: empty'));
    for (const f of run.findings) assert.deepEqual(regenerate(f.seed, f.index), f.input);
  });

  test('an input slower than the bound on both of its runs is a hang; others are not', () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const run = runFuzz((b) => b.length === 1 && busy(80), samples, { count: 1000, seed: 2, hangMs: 50 });
    assert.ok(run.findings.length > 0, 'the seed reaches a one-byte input');
    for (const f of run.findings) {
      assert.equal(f.kind, 'hang');
      assert.equal(f.input.length, 1);
      assert.ok(f.ms > 50);
    }
  });

  test('fuzzParser stops at the first crash with the seed and input in its message', () => {
    assert.throws(
      () =>
        fuzzParser(() => {
          throw new TypeError('not typed');
        }, samples, 10, 3),
      /^Error: parser threw TypeError: not typed on input #0 \(seed 3\): [0-9a-f]*$/,
    );
  });
});
