import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DatagramHandler, DatagramTransport, PeerAddress } from '../session/transport';
import { FaultyTransport, type FaultProfile } from './faulty-transport';

/** An in-memory transport: records what is sent, lets the test inject what is received. */
class MemoryTransport implements DatagramTransport {
  readonly sent: { d: Uint8Array; to: PeerAddress }[] = [];
  handler: DatagramHandler | undefined;
  local: PeerAddress | undefined = { address: '127.0.0.1', port: 1 };
  bind(): Promise<PeerAddress> {
    return Promise.resolve(this.local!);
  }
  send(d: Uint8Array, port: number, address: string): void {
    this.sent.push({ d, to: { address, port } });
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
    ctx.mock.timers.enable({ apis: ['setTimeout'] });
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
