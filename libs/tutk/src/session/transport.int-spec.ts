import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { RECEIVE_BUFFER_BYTES, UdpTransport, receiveBufferOf } from './transport';

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
