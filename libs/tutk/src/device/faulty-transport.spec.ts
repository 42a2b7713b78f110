import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { DatagramHandler, DatagramTransport, PeerAddress } from '../session/transport';
import { FaultyTransport, type FaultProfile } from './faulty-transport';

/** An in-memory transport: records what is sent, lets the test inject what is received. */
class MemoryTransport implements DatagramTransport {
  readonly sent: { d: Uint8Array; to: PeerAddress; at: number }[] = [];
  handler: DatagramHandler | undefined;
  local: PeerAddress | undefined = { address: '127.0.0.1', port: 1 };
  bind(): Promise<PeerAddress> {
    return Promise.resolve(this.local!);
  }
  send(d: Uint8Array, port: number, address: string): void {
    this.sent.push({ d, to: { address, port }, at: Date.now() });
  }
  onMessage(h: DatagramHandler): void {
    this.handler = h;
  }
  onError(): void {}
  close(): void {}
}

const peer = { address: '127.0.0.1', port: 9 };
const numbered = (i: number) => Uint8Array.of(i & 0xff, i >> 8);
const numberOf = (d: Uint8Array) => d[0] | (d[1] << 8);

function runOut(profile: FaultProfile, n: number, seed = 7): { got: number[]; t: FaultyTransport } {
  const mem = new MemoryTransport();
  const t = new FaultyTransport(mem, { outbound: profile, seed });
  for (let i = 0; i < n; i++) t.send(numbered(i), peer.port, peer.address);
  t.close();
  return { got: mem.sent.map((s) => numberOf(s.d)), t };
}

/**
 * One datagram a millisecond for `n` ms on mocked timers and clock: what arrives, in order, with the delay
 * each one had.
 */
function runTimed(ctx: TestContext, profile: FaultProfile, n: number): { got: number[]; delays: number[]; t: FaultyTransport } {
  ctx.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const mem = new MemoryTransport();
  const t = new FaultyTransport(mem, { outbound: profile, seed: 11 });
  const sentAt: number[] = [];
  for (let i = 0; i < n; i++) {
    sentAt.push(Date.now());
    t.send(numbered(i), peer.port, peer.address);
    ctx.mock.timers.tick(1);
  }
  for (let i = 0; i < 1000; i++) ctx.mock.timers.tick(1);
  t.close();
  const got = mem.sent.map((s) => numberOf(s.d));
  return { got, delays: mem.sent.map((s, i) => s.at - sentAt[got[i]]), t };
}

/** Mean change of delay from one datagram to the next: small for a path, large for independent draws. */
function meanStep(delays: number[]): number {
  let sum = 0;
  for (let i = 1; i < delays.length; i++) sum += Math.abs(delays[i] - delays[i - 1]);
  return sum / (delays.length - 1);
}

const outOfOrder = (got: number[]) => got.filter((v, i) => i > 0 && v < got[i - 1]).length;

describe('FaultyTransport', () => {
  it('random loss: about the asked fraction, counted, the same for the same seed', () => {
    const a = runOut({ loss: 0.1 }, 5000);
    const b = runOut({ loss: 0.1 }, 5000);
    assert.deepEqual(a.got, b.got);
    assert.equal(a.t.stats.outbound.lost, 5000 - a.got.length);
    assert.ok(a.t.stats.outbound.lost > 400 && a.t.stats.outbound.lost < 600, `${a.t.stats.outbound.lost}`);
    assert.notDeepEqual(runOut({ loss: 0.1 }, 5000, 8).got, a.got);
  });

  it('burst loss: losses come in runs', () => {
    const { got, t } = runOut({ burst: { enter: 0.01, exit: 0.2 } }, 20_000);
    let runs = 0;
    for (let i = 1; i < got.length; i++) if (got[i] !== got[i - 1] + 1) runs++;
    const lost = t.stats.outbound.burstLost;
    assert.equal(lost, 20_000 - got.length);
    // Mean run length 1 / exit = 5.
    assert.ok(lost / runs > 3, `${lost} lost in ${runs} runs`);
  });

  it('reordering: a held datagram leaves after k followers; nothing lost or duplicated', () => {
    const { got, t } = runOut({ reorder: 0.1, reorderBy: 3 }, 1000);
    assert.equal(got.length, 1000);
    assert.deepEqual([...got].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
    assert.ok(t.stats.outbound.reordered > 50);
    const late = got.filter((v, i) => i > 0 && v < got[i - 1]).length;
    assert.ok(late > 0);
  });

  it('path jitter: order kept, each delay within [0, pathJitterMs], drifting in bursts rather than drawn per datagram', (ctx) => {
    const { got, delays, t } = runTimed(ctx, { pathJitterMs: 20 }, 3000);
    assert.deepEqual(got, Array.from({ length: 3000 }, (_, i) => i));
    assert.ok(delays.every((d) => d >= 0 && d <= 20), `delays ${Math.min(...delays)}..${Math.max(...delays)} ms`);
    // It does vary, over most of its range…
    assert.ok(Math.max(...delays) - Math.min(...delays) >= 12, `delays ${Math.min(...delays)}..${Math.max(...delays)} ms`);
    // …but a step at a time (independent uniform draws would move about 20 / 3 ms per datagram).
    assert.ok(meanStep(delays) < 3, `mean step ${meanStep(delays)} ms`);
    assert.equal(t.stats.outbound.delayed, 3000);
  });

  it('path jitter with a small reorder probability: only the held datagrams come late', (ctx) => {
    const { got, t } = runTimed(ctx, { pathJitterMs: 20, reorder: 0.01 }, 3000);
    assert.deepEqual([...got].sort((x, y) => x - y), Array.from({ length: 3000 }, (_, i) => i));
    const held = t.stats.outbound.reordered;
    assert.ok(held > 10 && held < 60, `${held} held`);
    assert.ok(outOfOrder(got) > 0 && outOfOrder(got) <= held, `${outOfOrder(got)} out of order, ${held} held`);
  });

  it('independent jitter (the old model): each datagram on its own draw, so they overtake each other', (ctx) => {
    const { got, delays } = runTimed(ctx, { independentJitterMs: 20 }, 3000);
    assert.deepEqual([...got].sort((x, y) => x - y), Array.from({ length: 3000 }, (_, i) => i));
    assert.ok(outOfOrder(got) > 500, `${outOfOrder(got)} out of order`);
    assert.ok(meanStep(delays) > 4, `mean step ${meanStep(delays)} ms`);
  });

  it('duplication: copies, counted', () => {
    const { got, t } = runOut({ duplicate: 0.2 }, 1000);
    assert.equal(got.length, 1000 + t.stats.outbound.duplicated);
    assert.ok(t.stats.outbound.duplicated > 100);
  });

  it('inbound faults apply to received datagrams, with their sender; blackout drops both ways', async () => {
    const mem = new MemoryTransport();
    const t = new FaultyTransport(mem, { inbound: { delayMs: 5 } });
    const got: { n: number; from: PeerAddress }[] = [];
    t.onMessage((d, from) => got.push({ n: numberOf(d), from }));
    mem.handler!(numbered(1), peer);
    assert.equal(got.length, 0);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, [{ n: 1, from: peer }]);
    t.blackout(1000);
    mem.handler!(numbered(2), peer);
    t.send(numbered(3), 9, '127.0.0.1');
    assert.equal(mem.sent.length, 0);
    assert.equal(t.stats.inbound.blackedOut + t.stats.outbound.blackedOut, 2);
    assert.equal(t.dropped, 2);
    t.close();
  });

  it('close clears held and delayed datagrams', (ctx) => {
    // Mocked timers: a timer close() missed fires on tick() and is seen below, instead of keeping the process up.
    ctx.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const profile = { outbound: { delayMs: 10_000, reorder: 1, reorderMaxMs: 10_000 } };
    const closed = new MemoryTransport();
    const t = new FaultyTransport(closed, profile);
    const open = new MemoryTransport();
    const control = new FaultyTransport(open, profile);
    for (const ft of [t, control]) {
      ft.send(numbered(1), 9, '127.0.0.1');
      ft.send(numbered(2), 9, '127.0.0.1');
    }
    t.close();
    // Held for up to 10 s, then delayed 10 s: two steps, as each timer is set when the previous one fires.
    ctx.mock.timers.tick(10_000);
    ctx.mock.timers.tick(10_000);
    assert.equal(open.sent.length, 2, 'the transport left open delivers both after their delay');
    assert.deepEqual(closed.sent, [], 'datagrams went out after close()');
    control.close();
  });
});
