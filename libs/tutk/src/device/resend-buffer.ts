// Retransmission with resend = 1, the camera's half: the records it sent lately, kept for a resend until the
// client's ACK runs cover them. **INFERRED** model, described with the client's half in av/received-runs.ts.
// Resends are clocked by ACKs: a record goes out again only when an ACK that came long enough after its
// last copy still leaves it out, so a client that has stopped acknowledging (gone, or its event loop
// busy) is not flooded with copies of what it may well have. "Long enough" follows how late ACKs come, as
// TCP's timeout does (RFC 6298): for a record that is no hole (nothing after it acknowledged) the full
// timeout, for another copy of a hole the smoothed delay and twice its variation, so a client working
// through a backlog, which acknowledges late, is not sent again what it has.
import { type AckRun, seqAfter, seqDelta } from '../av/received-runs';
import { RX_UNSET } from '../av/ack';

export interface ResendBufferOptions {
  /** How long a sent record stays available for a resend (default 1000 ms). */
  keepMs?: number;
  /** Records kept at most, a power of two (default 4096). */
  capacity?: number;
  /**
   * A record missing below an acknowledged one is resent when an ACK this long after it was sent still
   * leaves it out: UDP may only have reordered it (default 25 ms).
   */
  holeAfterMs?: number;
  /**
   * The least retransmission timeout: a record no run has covered, hole or not, is resent when an ACK this
   * long after it was sent still leaves it out (default 300 ms; more while ACKs come late, up to keepMs).
   */
  timeoutMs?: number;
  /**
   * A resent hole is resent again when an ACK this long after the copy, or the smoothed ACK delay and twice
   * its variation if longer, still leaves it out (default 80 ms).
   */
  retryMs?: number;
  /** Resends of one record at most (default 4). */
  maxResends?: number;
  /** Records resent by one call of due() at most, so a burst of resends does not cause more loss (default 64). */
  maxBurst?: number;
}

export interface ResendBufferStats {
  /** Records taken in. */
  kept: number;
  /** Records resent (every copy counts). */
  resent: number;
  /** Records that left the buffer (age or capacity) with no ACK run covering them. */
  unacknowledged: number;
}

interface Kept {
  seq: number;
  record: Uint8Array;
  sentAtMs: number;
  lastSentMs: number;
  resends: number;
  acked: boolean;
}

export class ResendBuffer {
  readonly stats: ResendBufferStats = { kept: 0, resent: 0, unacknowledged: 0 };
  private readonly o: Required<ResendBufferOptions>;
  private readonly slots: (Kept | undefined)[];
  private readonly mask: number;
  private oldest: number | undefined;
  private newest = 0;
  private highestAcked: number | undefined;
  /** When the latest ACK arrived: what it left out is what the client lacked then. */
  private lastAckAtMs = -Infinity;
  /** Smoothed delay from sending a record to the ACK that covers it, and its variation (RFC 6298 §2). */
  private srttMs: number | undefined;
  private rttVarMs = 0;

  constructor(options: ResendBufferOptions = {}) {
    this.o = { keepMs: 1000, capacity: 4096, holeAfterMs: 25, timeoutMs: 300, retryMs: 80, maxResends: 4, maxBurst: 64, ...options };
    const c = this.o.capacity;
    if (!(c >= 2 && c <= 0x4000 && (c & (c - 1)) === 0)) throw new RangeError('capacity must be a power of two in 2..16384');
    this.slots = new Array<Kept | undefined>(c);
    this.mask = c - 1;
  }

  /** Records kept and not yet acknowledged. */
  get outstanding(): number {
    let n = 0;
    this.forEachKept((k) => void (k.acked || n++));
    return n;
  }

  /** A record just sent with sequence number `seq` (u16 at [4-5]); the buffer keeps it as it is. */
  sent(seq: number, record: Uint8Array, nowMs: number): void {
    const i = seq & this.mask;
    const old = this.slots[i];
    if (old && !old.acked) this.stats.unacknowledged++;
    this.slots[i] = { seq, record, sentAtMs: nowMs, lastSentMs: nowMs, resends: 0, acked: false };
    this.stats.kept++;
    if (this.oldest === undefined) this.oldest = seq;
    this.newest = seq;
    if (seqDelta(this.oldest, seq) >= this.o.capacity) this.oldest = (seq - this.o.capacity + 1) & 0xffff;
  }

  /** One ACK from the client, arrived at `nowMs`: the records in its run arrived. The go2rtc "unset" window names none. */
  ack(run: AckRun, nowMs: number): void {
    this.lastAckAtMs = nowMs;
    if (this.oldest === undefined || (run.rxStart === RX_UNSET && run.rxEnd === RX_UNSET)) return;
    const len = seqDelta(run.rxStart, run.rxEnd);
    if (len >= 0x8000) return;
    // Only what is kept can be marked: clip the run to [oldest, newest].
    const from = seqAfter(this.oldest, run.rxStart) ? this.oldest : run.rxStart;
    const to = seqAfter(run.rxEnd, this.newest) ? this.newest : run.rxEnd;
    if (seqAfter(from, to) || seqDelta(run.rxStart, from) > len) return;
    let sample: number | undefined;
    for (let s = from, n = seqDelta(from, to); n >= 0; n--, s = (s + 1) & 0xffff) {
      const k = this.slots[s & this.mask];
      if (!k || k.seq !== s || k.acked) continue;
      k.acked = true;
      // Karn: a record sent more than once gives no clean sample.
      if (k.resends === 0) sample = nowMs - k.sentAtMs;
    }
    if (sample !== undefined) this.sampleDelay(sample);
    if (this.highestAcked === undefined || seqAfter(to, this.highestAcked)) this.highestAcked = to;
  }

  /** The retransmission timeout: RFC 6298 §2.3 from the ACK delays seen, within [timeoutMs, keepMs]. */
  get timeoutMs(): number {
    const o = this.o;
    return this.srttMs === undefined ? o.timeoutMs : Math.min(o.keepMs, Math.max(o.timeoutMs, this.srttMs + 4 * this.rttVarMs));
  }

  /** How long after a copy of a hole an ACK that leaves it out means the copy was lost too. */
  get retryAfterMs(): number {
    return this.srttMs === undefined ? this.o.retryMs : Math.max(this.o.retryMs, this.srttMs + 2 * this.rttVarMs);
  }

  private sampleDelay(ms: number): void {
    if (this.srttMs === undefined) {
      this.srttMs = ms;
      this.rttVarMs = ms / 2;
      return;
    }
    this.rttVarMs = 0.75 * this.rttVarMs + 0.25 * Math.abs(this.srttMs - ms);
    this.srttMs = 0.875 * this.srttMs + 0.125 * ms;
  }

  /** The records to send again now (each counted as resent), oldest first. */
  due(nowMs: number): Uint8Array[] {
    this.dropExpired(nowMs);
    const out: Uint8Array[] = [];
    const o = this.o;
    const rto = this.timeoutMs;
    const retry = this.retryAfterMs;
    this.forEachKept((k) => {
      if (k.acked || k.resends >= o.maxResends || out.length >= o.maxBurst) return;
      const hole = this.highestAcked !== undefined && seqAfter(this.highestAcked, k.seq);
      const wait = k.resends > 0 ? (hole ? retry : Math.max(retry, rto)) : hole ? o.holeAfterMs : rto;
      if (this.lastAckAtMs - k.lastSentMs < wait) return;
      k.resends++;
      k.lastSentMs = nowMs;
      this.stats.resent++;
      out.push(k.record);
    });
    return out;
  }

  /** Moves `oldest` past records acknowledged or older than keepMs. */
  private dropExpired(nowMs: number): void {
    while (this.oldest !== undefined) {
      const s = this.oldest;
      const k = this.slots[s & this.mask];
      if (k && k.seq === s) {
        if (!k.acked && nowMs - k.sentAtMs < this.o.keepMs) return;
        if (!k.acked) this.stats.unacknowledged++;
        this.slots[s & this.mask] = undefined;
      }
      if (s === this.newest) {
        this.oldest = undefined;
        return;
      }
      this.oldest = (s + 1) & 0xffff;
    }
  }

  private forEachKept(fn: (k: Kept) => void): void {
    if (this.oldest === undefined) return;
    for (let s = this.oldest, n = seqDelta(this.oldest, this.newest); n >= 0; n--, s = (s + 1) & 0xffff) {
      const k = this.slots[s & this.mask];
      if (k && k.seq === s) fn(k);
    }
  }
}
