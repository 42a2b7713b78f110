import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandQueue } from './command-queue';

const rec = (n: number) => Uint8Array.of(n);
const is = (n: number) => (r: Uint8Array) => (r[0] === n ? r[0] : undefined);
const never = new Promise<void>(() => {});

describe('CommandQueue (FACTS §8.1)', () => {
  it('a queued record that does not match the next wait is discarded, not kept', async () => {
    const q = new CommandQueue();
    q.push(rec(1));
    q.push(rec(2));
    assert.equal(await q.wait(is(2), never), 2);
    assert.equal(q.discarded, 1);
    let expire!: () => void;
    const expired = new Promise<void>((r) => (expire = r));
    const w = q.wait(is(1), expired);
    expire();
    assert.equal(await w, undefined);
  });

  it('while a wait is pending, non-matching records are dropped and the match resolves it', async () => {
    const q = new CommandQueue();
    const w = q.wait(is(7), never);
    assert.equal(q.waiting, true);
    q.push(rec(3));
    q.push(rec(7));
    assert.equal(await w, 7);
    assert.equal(q.discarded, 1);
    assert.equal(q.waiting, false);
  });

  it('a reply after its wait expired is lost to the next wait', async () => {
    const q = new CommandQueue();
    const w = q.wait(is(5), Promise.resolve());
    assert.equal(await w, undefined);
    q.push(rec(5));
    let expire!: () => void;
    const w2 = q.wait(is(6), new Promise<void>((r) => (expire = r)));
    expire();
    assert.equal(await w2, undefined);
    assert.equal(q.discarded, 1);
  });

  it('keeps at most `depth` records, dropping the oldest', async () => {
    const q = new CommandQueue(3);
    for (let i = 0; i < 5; i++) q.push(rec(i));
    assert.equal(q.overflowed, 2);
    assert.equal(await q.wait(is(2), never), 2);
  });

  it('refuses two waits at once', () => {
    const q = new CommandQueue();
    void q.wait(is(1), never);
    assert.throws(() => q.wait(is(2), never));
  });
});
