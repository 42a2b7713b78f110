/**
 * Our last handshake flight and its retransmission (RFC 6347 §4.2.4): the flight is kept, cut into
 * handshake fragments that fit the MTU, packed into datagrams, and sent again on a doubling timer or when
 * the peer repeats its own last flight.
 */
import { ContentType, HANDSHAKE_HEADER_LENGTH, RECORD_HEADER_LENGTH } from './constants';
import { encodeHandshakeFragment } from './handshake';

export type FlightItem = { kind: 'ccs' } | { kind: 'handshake'; epoch: number; msgType: number; messageSeq: number; body: Uint8Array };

/** What a flight needs of the record layer under it. */
export interface FlightRecordLayer {
  /** One record of `epoch`, under its next write sequence number: sealed once the epoch has keys. */
  protect(type: number, epoch: number, payload: Uint8Array): Uint8Array;
  /** The most bytes the epoch's cipher adds to a record; 0 while it has none. */
  overhead(epoch: number): number;
  send(datagram: Uint8Array): void;
}

export interface FlightTiming {
  mtu: number;
  /** First retransmission delay, doubled after each one up to `retransmitMaxMs`. */
  retransmitInitialMs: number;
  retransmitMaxMs: number;
}

export class Flight {
  private items: FlightItem[] = [];
  private timer?: NodeJS.Timeout;
  private delay: number;

  /**
   * `stillHandshaking` is asked before each timed retransmission (none once it says false);
   * `onRetransmit` hears every retransmission, timed or not.
   */
  constructor(
    private readonly layer: FlightRecordLayer,
    private readonly timing: FlightTiming,
    private readonly stillHandshaking: () => boolean,
    private readonly onRetransmit: () => void,
  ) {
    this.delay = timing.retransmitInitialMs;
  }

  get held(): boolean {
    return this.items.length > 0;
  }

  /** Sends a flight and keeps it. With `timer` false (the last flight of the handshake) only {@link resend} repeats it. */
  send(items: FlightItem[], timer = true): void {
    this.items = items;
    this.stopTimer();
    this.delay = this.timing.retransmitInitialMs;
    this.transmit();
    if (timer) this.arm();
  }

  /** The peer repeated its last flight, so it missed ours. */
  resend(): void {
    this.onRetransmit();
    this.transmit();
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Forgets the flight: nothing is resent from here on. */
  clear(): void {
    this.items = [];
  }

  /**
   * Turns the kept flight into records and packs them into datagrams of at most `mtu` bytes. Retransmissions
   * take fresh record sequence numbers (RFC 6347 §4.2.4) and, in epoch 1, are sealed again under them.
   */
  private transmit(): void {
    const { layer } = this;
    const mtu = this.timing.mtu;
    const records: Uint8Array[] = [];
    let epoch = 0;
    for (const item of this.items) {
      if (item.kind === 'ccs') {
        records.push(layer.protect(ContentType.ChangeCipherSpec, 0, Uint8Array.of(1)));
        epoch = 1;
        continue;
      }
      epoch = item.epoch;
      const maxFragment = mtu - RECORD_HEADER_LENGTH - HANDSHAKE_HEADER_LENGTH - layer.overhead(epoch);
      const n = item.body.length;
      let off = 0;
      do {
        const len = Math.min(maxFragment, n - off);
        records.push(layer.protect(ContentType.Handshake, epoch, encodeHandshakeFragment(item.msgType, item.messageSeq, item.body, off, len)));
        off += len;
      } while (off < n);
    }
    let batch: Uint8Array[] = [];
    let size = 0;
    const flush = () => {
      if (batch.length === 0) return;
      const d = batch.length === 1 ? batch[0] : new Uint8Array(size);
      if (batch.length > 1) {
        let o = 0;
        for (const r of batch) {
          d.set(r, o);
          o += r.length;
        }
      }
      batch = [];
      size = 0;
      layer.send(d);
    };
    for (const r of records) {
      if (size + r.length > mtu) flush();
      batch.push(r);
      size += r.length;
    }
    flush();
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stillHandshaking()) return;
      this.onRetransmit();
      this.delay = Math.min(this.delay * 2, this.timing.retransmitMaxMs);
      this.transmit();
      this.arm();
    }, this.delay);
  }
}
