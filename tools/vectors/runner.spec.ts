import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVectorFile, runVectors } from './runner';

test('a kind with no checker counts as failed, never skipped', async () => {
  const results = await runVectors(
    [
      { name: 'a', kind: 'known', inputs: {}, expected: {} },
      { name: 'b', kind: 'no_such_kind', inputs: {}, expected: {} },
    ],
    { known: () => undefined },
  );
  assert.deepEqual(
    results.map((r) => [r.name, r.ok]),
    [
      ['a', true],
      ['b', false],
    ],
  );
  assert.match(results[1].error ?? '', /unknown kind no_such_kind/);
});

test('a checker that throws fails its vector with the reason', async () => {
  const [r] = await runVectors([{ name: 'x', kind: 'k', inputs: {}, expected: {} }], {
    k: () => {
      throw new Error('wire: expected 01, got 02');
    },
  });
  assert.equal(r.ok, false);
  assert.equal(r.error, 'wire: expected 01, got 02');
});

test('rejects files of another format', () => {
  assert.throws(() => parseVectorFile(JSON.stringify({ format: 'other/1', vectors: [] })), /unsupported vector file format/);
  assert.throws(() => parseVectorFile(JSON.stringify({ format: 'wyze-tutk-vectors/1' })), /no "vectors" array/);
});
