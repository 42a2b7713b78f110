// The camera's half of the INFERRED retransmission model: what it resends, when, and how much it keeps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RX_UNSET } from '../av/ack';
import { ResendBuffer } from './resend-buffer';

const rec = (seq: number) => Uint8Array.of(0x0c, 0x00, 0x0b, 0x00, seq & 0xff, seq >> 8);
const seqsOf = (records: Uint8Array[]) => records.map((r) => r[4] | (r[5] << 8));
const run = (rxStart: number, rxEnd: number) => ({ rxStart, rxEnd });
/** An ACK that says nothing about the records (before any media, or go2rtc's first). */
const UNSET = run(RX_UNSET, RX_UNSET);

function sendAll(b: ResendBuffer, seqs: number[], nowMs: number): void {
  for (const s of seqs) b.sent(s, rec(s), nowMs);
}

describe('ResendBuffer', () => {
  test('acknowledged records are never resent', () => {
    const b = new ResendBuffer();
    sendAll(b, [1, 2, 3, 4], 0);
    b.ack(run(1, 4), 5);
    b.ack(UNSET, 10_000);
    assert.deepEqual(b.due(10_000), []);
    assert.equal(b.stats.resent, 0);
    assert.equal(b.outstanding, 0);
  });

  test('a hole below an acknowledged run is resent once an ACK that came after the reordering grace still leaves it out; the very same bytes', () => {
    const b = new ResendBuffer({ holeAfterMs: 25 });
    const sent = [1, 2, 3, 4, 5].map(rec);
    sent.forEach((r, i) => b.sent(i + 1, r, 0));
    b.ack(run(1, 2), 10);
    b.ack(run(4, 5), 10);
    assert.deepEqual(b.due(30), [], 'the ACKs came 10 ms after: 3 may only be late');
    b.ack(run(4, 5), 25);
    const again = b.due(26);
    assert.deepEqual(seqsOf(again), [3]);
    assert.equal(again[0], sent[2], 'the record as it was sent');
  });

  test('a hole whose copy was lost too is resent again when an ACK retryMs after the copy still leaves it out', () => {
    const b = new ResendBuffer({ holeAfterMs: 25, retryMs: 80 });
    sendAll(b, [1, 2, 3], 0);
    b.ack(run(3, 3), 30);
    assert.deepEqual(seqsOf(b.due(30)), [1, 2]);
    b.ack(run(2, 3), 109);
    assert.deepEqual(b.due(109), [], '79 ms after the copy');
    b.ack(run(2, 3), 110);
    assert.deepEqual(seqsOf(b.due(110)), [1]);
  });

  test('a record no ACK covers is resent after the timeout, then again when an ACK the timeout after the copy still leaves it out, up to maxResends', () => {
    const b = new ResendBuffer({ timeoutMs: 300, retryMs: 80, maxResends: 2 });
    sendAll(b, [7], 0);
    b.ack(UNSET, 299);
    assert.deepEqual(b.due(299), []);
    b.ack(UNSET, 300);
    assert.deepEqual(seqsOf(b.due(300)), [7]);
    b.ack(UNSET, 599);
    assert.deepEqual(b.due(599), [], 'retryMs, but not yet the timeout');
    b.ack(UNSET, 600);
    assert.deepEqual(seqsOf(b.due(600)), [7]);
    b.ack(UNSET, 2000);
    assert.deepEqual(b.due(2000), [], 'no more than maxResends');
    assert.equal(b.stats.resent, 2);
  });

  test('ACKs that come late (a client working through a backlog) stretch the timeout, up to keepMs (RFC 6298)', () => {
    const b = new ResendBuffer({ timeoutMs: 300, keepMs: 1000 });
    assert.equal(b.timeoutMs, 300);
    sendAll(b, [1], 0);
    b.ack(run(1, 1), 600);
    assert.equal(b.timeoutMs, 1000, '600 + 4 × 300, capped');
    sendAll(b, [2], 1000);
    b.ack(UNSET, 1500);
    assert.deepEqual(b.due(1500), [], 'half a second without its ACK is no loss for this client');
    for (let t = 2000; t < 8000; t += 100) {
      sendAll(b, [t], t);
      b.ack(run(t, t), t + 20);
    }
    assert.equal(b.timeoutMs, 300, 'prompt ACKs bring it back down');
  });

  test('without ACKs nothing is resent: a client that has gone quiet (or whose event loop is busy) is not flooded', () => {
    const b = new ResendBuffer({ holeAfterMs: 0, timeoutMs: 0 });
    sendAll(b, [1, 2, 3], 0);
    assert.deepEqual(b.due(500), []);
    b.ack(run(3, 3), 600);
    assert.deepEqual(seqsOf(b.due(600)), [1, 2], 'the first ACK after the silence names the holes');
  });

  test('records older than keepMs are not resent, and count as unacknowledged', () => {
    const b = new ResendBuffer({ keepMs: 1000 });
    sendAll(b, [1, 2], 0);
    b.ack(UNSET, 1000);
    assert.deepEqual(b.due(1000), []);
    assert.equal(b.stats.unacknowledged, 2);
    assert.equal(b.outstanding, 0);
  });

  test('capacity bounds what is kept; the oldest goes first', () => {
    const b = new ResendBuffer({ capacity: 4, timeoutMs: 0 });
    sendAll(b, [1, 2, 3, 4, 5, 6], 0);
    b.ack(UNSET, 0);
    assert.deepEqual(seqsOf(b.due(0)), [3, 4, 5, 6]);
    assert.equal(b.stats.unacknowledged, 2);
  });

  test("go2rtc's window (the previous rx_end to the newest) covers everything: nothing is resent; the unset window marks nothing", () => {
    const b = new ResendBuffer({ holeAfterMs: 0, timeoutMs: 300 });
    sendAll(b, [10, 11, 12, 13], 0);
    b.ack(UNSET, 1);
    assert.equal(b.outstanding, 4);
    b.ack(run(RX_UNSET, 11), 2);
    b.ack(run(11, 13), 3);
    b.ack(run(13, 13), 1000);
    assert.deepEqual(b.due(1000), []);
  });

  test('sequence numbers wrap at 65536', () => {
    const b = new ResendBuffer({ holeAfterMs: 0 });
    sendAll(b, [0xfffe, 0xffff, 0, 1], 0);
    b.ack(run(0xfffe, 0xfffe), 1);
    b.ack(run(0, 1), 1);
    assert.deepEqual(seqsOf(b.due(1)), [0xffff]);
  });

  test('one call resends at most maxBurst records', () => {
    const b = new ResendBuffer({ timeoutMs: 0, maxBurst: 3 });
    sendAll(b, [1, 2, 3, 4, 5], 0);
    b.ack(UNSET, 0);
    assert.deepEqual(seqsOf(b.due(0)), [1, 2, 3]);
    assert.deepEqual(seqsOf(b.due(0)), [4, 5]);
  });
});
