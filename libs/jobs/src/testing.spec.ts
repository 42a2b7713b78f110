import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectEventually } from './testing';

describe('expectEventually', () => {
  test('returns the probe value once the probe stops throwing', async () => {
    let calls = 0;
    const value = await expectEventually(() => {
      calls++;
      if (calls < 3) throw new Error('not yet');
      return 'ready';
    }, { intervalMs: 1 });
    assert.equal(value, 'ready');
    assert.equal(calls, 3);
  });

  test('rethrows the last failure once the deadline passes', async () => {
    let calls = 0;
    await assert.rejects(
      expectEventually(() => {
        calls++;
        throw new Error(`failure ${calls}`);
      }, { timeoutMs: 30, intervalMs: 5 }),
      (err: unknown) => err instanceof Error && /^still failing after 30 ms: failure \d+$/.test(err.message) && err.message.endsWith(`failure ${calls}`),
    );
  });
});
