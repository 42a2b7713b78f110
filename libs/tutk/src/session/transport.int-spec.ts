import assert from 'node:assert/strict';
import dns from 'node:dns';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { eventually } from '../testing/eventually';
import { RECEIVE_BUFFER_BYTES, UdpTransport, receiveBufferOf } from './transport';

describe('addresses', () => {
  test('an IP literal is bound and sent to without a DNS lookup; a host name still is looked up', async (t) => {
    // node:dgram reads dns.lookup when a socket is made: the real module is what both see.
    const lookup = t.mock.method(dns, 'lookup');
    const rx = new UdpTransport();
    const tx = new UdpTransport();
    try {
      const got: number[] = [];
      rx.onMessage((d) => got.push(d[0]));
      const { port } = await rx.bind(0, '127.0.0.1');
      await tx.bind(0);
      tx.send(Uint8Array.of(1), port, '127.0.0.1');
      await eventually(() => got.length === 1, 'the datagram sent to 127.0.0.1');
      assert.equal(lookup.mock.callCount(), 0, 'no lookup for a bind or a send to a literal');
      tx.send(Uint8Array.of(2), port, 'localhost');
      await eventually(() => got.length === 2, 'the datagram sent to localhost');
      assert.equal(lookup.mock.callCount(), 1);
      assert.deepEqual(got, [1, 2]);
    } finally {
      rx.close();
      tx.close();
    }
  });
});

describe('UDP receive buffer', () => {
  test('a cap shows against what Linux reports (twice the size set), or the size itself elsewhere', () => {
    assert.deepEqual(receiveBufferOf(2 << 20, 4 << 20, 'linux'), { requested: 2 << 20, granted: 4 << 20, capped: false });
    // Debian's default net.core.rmem_max is 212992: Linux sets 212992 and reports 425984.
    assert.equal(receiveBufferOf(2 << 20, 425_984, 'linux').capped, true);
    assert.equal(receiveBufferOf(2 << 20, 2 << 20, 'darwin').capped, false);
    assert.equal(receiveBufferOf(2 << 20, 1 << 20, 'darwin').capped, true);
  });

  test('a bound socket asks for 2 MiB and reports what this host granted', async () => {
    const t = new UdpTransport();
    assert.equal(t.receiveBuffer, undefined, 'unknown before bind');
    await t.bind(0, '127.0.0.1');
    try {
      const rb = t.receiveBuffer!;
      assert.equal(rb.requested, RECEIVE_BUFFER_BYTES);
      assert.ok(rb.granted > 0);
      const rmemMax = '/proc/sys/net/core/rmem_max';
      if (process.platform === 'linux' && existsSync(rmemMax)) {
        const max = Number(readFileSync(rmemMax, 'utf8'));
        // Root may exceed rmem_max (SO_RCVBUFFORCE); node does not, so the OS cap decides.
        assert.equal(rb.capped, max < RECEIVE_BUFFER_BYTES, `rmem_max ${max}, reported ${rb.granted}`);
        assert.equal(rb.granted, 2 * Math.min(max, RECEIVE_BUFFER_BYTES));
      }
    } finally {
      t.close();
    }
  });
});
