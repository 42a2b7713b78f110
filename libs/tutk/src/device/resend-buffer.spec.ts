// The camera's half of the INFERRED retransmission model: what it resends, when, and how much it keeps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RX_UNSET } from '../av/ack';
import { ResendBuffer } from './resend-buffer';

const rec = (seq: number) => Uint8Array.of(0x0c, 0x00, 0x0b, 0x00, seq & 0xff, seq >> 8);
const seqsOf = (records: Uint8Array[]) => records.map((r) => r[4] | (r[5] << 8));

function sendAll(b: ResendBuffer, seqs: number[], nowMs: number): void {
  for (const s of seqs) b.sent(s, rec(s), nowMs);
}

describe('ResendBuffer', () => {
  test('acknowledged records are never resent', () => {
    const b = new ResendBuffer();
    sendAll(b, [1, 2, 3, 4], 0);
    b.ack({ rxStart: 1, rxEnd: 4 });
    assert.deepEqual(b.due(10_000), []);
    assert.equal(b.stats.resent, 0);
    assert.equal(b.outstanding, 0);
  });

  test('a hole below an acknowledged run is resent after the reordering grace, not before, the very same bytes', () => {
    const b = new ResendBuffer({ holeAfterMs: 40 });
    const sent = [1, 2, 3, 4, 5].map(rec);
    sent.forEach((r, i) => b.sent(i + 1, r, 0));
    b.ack({ rxStart: 1, rxEnd: 2 });
    b.ack({ rxStart: 4, rxEnd: 5 });
    assert.deepEqual(b.due(39), []);
    const again = b.due(40);
    assert.deepEqual(seqsOf(again), [3]);
    assert.equal(again[0], sent[2], 'the record as it was sent');
  });

  test('a record no ACK covers is resent after the timeout, then retried every retryMs up to maxResends', () => {
    const b = new ResendBuffer({ timeoutMs: 300, retryMs: 80, maxResends: 2 });
    sendAll(b, [7], 0);
    assert.deepEqual(b.due(299), []);
    assert.deepEqual(seqsOf(b.due(300)), [7]);
    assert.deepEqual(b.due(379), []);
    assert.deepEqual(seqsOf(b.due(380)), [7]);
    assert.deepEqual(b.due(1000), [], 'no more than maxResends');
    assert.equal(b.stats.resent, 2);
  });

  test('records older than keepMs are not resent, and count as unacknowledged', () => {
    const b = new ResendBuffer({ keepMs: 1000, timeoutMs: 2000 });
    sendAll(b, [1, 2], 0);
    assert.deepEqual(b.due(1000), []);
    assert.equal(b.stats.unacknowledged, 2);
    assert.equal(b.outstanding, 0);
  });

  test('capacity bounds what is kept; the oldest goes first', () => {
    const b = new ResendBuffer({ capacity: 4, timeoutMs: 0 });
    sendAll(b, [1, 2, 3, 4, 5, 6], 0);
    assert.deepEqual(seqsOf(b.due(0)), [3, 4, 5, 6]);
    assert.equal(b.stats.unacknowledged, 2);
  });

  test("go2rtc's window (the previous rx_end to the newest) covers everything: nothing is resent; the unset window is ignored", () => {
    const b = new ResendBuffer({ holeAfterMs: 0, timeoutMs: 300 });
    sendAll(b, [10, 11, 12, 13], 0);
    b.ack({ rxStart: RX_UNSET, rxEnd: RX_UNSET });
    assert.equal(b.outstanding, 4);
    b.ack({ rxStart: RX_UNSET, rxEnd: 11 });
    b.ack({ rxStart: 11, rxEnd: 13 });
    assert.deepEqual(b.due(1000), []);
  });

  test('sequence numbers wrap at 65536', () => {
    const b = new ResendBuffer({ holeAfterMs: 0 });
    sendAll(b, [0xfffe, 0xffff, 0, 1], 0);
    b.ack({ rxStart: 0xfffe, rxEnd: 0xfffe });
    b.ack({ rxStart: 0, rxEnd: 1 });
    assert.deepEqual(seqsOf(b.due(1)), [0xffff]);
  });

  test('one call resends at most maxBurst records', () => {
    const b = new ResendBuffer({ timeoutMs: 0, maxBurst: 3 });
    sendAll(b, [1, 2, 3, 4, 5], 0);
    assert.deepEqual(seqsOf(b.due(0)), [1, 2, 3]);
    assert.deepEqual(seqsOf(b.due(0)), [4, 5]);
  });
});
