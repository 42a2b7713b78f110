import { TutkParseError } from '../wire/parse-error';
import { putU16le, putU32le, u16le, u32le } from '../wire/byte-reader';
import { AV_VERSION, AvMagic } from './constants';

/** FACTS §8.4 */
export const AV_ACK_LENGTH = 24;
/** rx_start / rx_end before any 0x000c record has been seen. */
export const RX_UNSET = 0xffff;

export interface AvAck {
  /** [4-7], the AV sequence shared with IOCTRL frames. */
  avSeq: number;
  /** [8-9] */
  rxStart: number;
  /** [10-11] */
  rxEnd: number;
  /** [12-13], from 1, wrapping as a u16. */
  count: number;
  /** [20-21], low 16 bits of the sender's clock in ms. */
  ms16: number;
}

export function buildAck(a: AvAck): Uint8Array {
  const p = new Uint8Array(AV_ACK_LENGTH);
  putU16le(p, 0, AvMagic.Ack);
  putU16le(p, 2, AV_VERSION);
  putU32le(p, 4, a.avSeq);
  putU16le(p, 8, a.rxStart);
  putU16le(p, 10, a.rxEnd);
  putU16le(p, 12, a.count);
  // [16-19] = count << 16, so [18-19] repeat the counter.
  putU16le(p, 18, a.count);
  putU16le(p, 20, a.ms16);
  return p;
}

export function parseAck(b: Uint8Array): AvAck {
  if (b.length < AV_ACK_LENGTH) throw new TutkParseError('av', 'short', `ack of ${b.length} bytes`);
  const magic = u16le(b, 0);
  if (magic !== AvMagic.Ack) throw new TutkParseError('av', 'bad-magic', `ack 0x${magic.toString(16)}`);
  return { avSeq: u32le(b, 4), rxStart: u16le(b, 8), rxEnd: u16le(b, 10), count: u16le(b, 12), ms16: u16le(b, 20) };
}

/**
 * The client's receive window reported in ACKs (FACTS §8.4). Only `0c 00` records of 8 bytes or more
 * move it; no bitmap, no retransmission request. The u16 wrap quirk of go2rtc is kept on purpose: the
 * camera only ever sees these numbers as advisory.
 */
export class AckWindow {
  private start = RX_UNSET;
  private end = RX_UNSET;
  private seen = false;

  /** Call for every record the camera sends on channel 0. */
  observe(record: Uint8Array): void {
    if (record.length < 8 || record[0] !== 0x0c || record[1] !== 0x00) return;
    const s = u16le(record, 4);
    if (this.end === RX_UNSET || s > this.end) this.end = s;
    this.seen = true;
  }

  /** The window for the ACK about to be built; the next one starts where this one ends. */
  take(): { rxStart: number; rxEnd: number } {
    const w = { rxStart: this.start, rxEnd: this.end };
    if (this.seen) this.start = this.end;
    return w;
  }
}
