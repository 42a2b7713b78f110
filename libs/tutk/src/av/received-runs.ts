// Retransmission with resend = 1, the client's half. **INFERRED**: this is our model, not checked against a
// real camera; FACTS and SEED say that resend = 1 makes the camera resend lost packets (SEED §9.6) but not
// how the client tells it what it lost.
//
// The model, built on the wire vocabulary that exists:
// - The camera numbers its wrapped media records with the u16 at [4-5] (SEED §9.6; FACTS §10.2 "TX
//   sequence") and keeps what it sent for about a second (device/resend-buffer.ts).
// - The client acknowledges what it has with the ACK record 0x0009 it already sends (FACTS §8.4): one ACK
//   per run of consecutive sequence numbers received, [rx_start, rx_end] both included. It reports a run
//   when a packet arrives in it, soon after a hole opens or closes, and besides every 100 ms.
// - The camera resends a record no run has covered once a later one has been acknowledged (a hole, after a
//   short grace for reordering) or after a timeout, a few times at most.
// go2rtc's ACKs report [previous rx_end, rx_end], which reads here as one run covering everything, so a
// go2rtc-style client is never resent anything.

/** An ACK's [rx_start, rx_end] (FACTS §8.4): in this model, one run of sequence numbers received. */
export interface AckRun {
  rxStart: number;
  rxEnd: number;
}

/** Steps forward from u16 sequence number `from` to `to`. */
export const seqDelta = (from: number, to: number): number => (to - from) & 0xffff;

/** u16 sequence number a is after b (serial order). */
export const seqAfter = (a: number, b: number): boolean => a !== b && seqDelta(b, a) < 0x8000;

/**
 * What one sequence number was: the next one, one past a new hole, one that fills a hole, one received
 * before (a resend of something that had arrived), or one too old to be tracked.
 */
export type Arrival = 'next' | 'hole' | 'filled' | 'duplicate' | 'stale';

export interface ReceivedRunsStats {
  /** Sequence numbers received (each once). */
  packets: number;
  duplicates: number;
  /** Too far behind the newest to be tracked any more. */
  stale: number;
  /** Sequence numbers missing below a run reported: resend requests, each counted once. */
  requested: number;
  /** Of those, the ones that arrived afterwards. */
  recovered: number;
}

/**
 * Which of the camera's wrapped-record sequence numbers arrived, over a sliding window behind the newest,
 * and the runs to acknowledge (the INFERRED model above).
 */
export class ReceivedRuns {
  readonly stats: ReceivedRunsStats = { packets: 0, duplicates: 0, stale: 0, requested: 0, recovered: 0 };
  private readonly received: Uint8Array;
  /** Reported missing and not received since. */
  private readonly requested: Uint8Array;
  private readonly mask: number;
  private top: number | undefined;
  /** Oldest sequence number tracked: the oldest one seen, until the window slides past it. */
  private floor = 0;
  /** The newest sequence number reported: the camera resends what is missing below it. */
  private reportedUpTo: number | undefined;
  /** Arrived since the last report: their runs go out next. */
  private changed: number[] = [];

  /** `window`: how many sequence numbers behind the newest are tracked (a power of two, under 32768). */
  constructor(readonly window = 1024) {
    if (!(window >= 2 && window <= 0x4000 && (window & (window - 1)) === 0)) throw new RangeError('window must be a power of two in 2..16384');
    this.received = new Uint8Array(window);
    this.requested = new Uint8Array(window);
    this.mask = window - 1;
  }

  /** The newest sequence number seen. */
  get newest(): number | undefined {
    return this.top;
  }

  /** One wrapped record's sequence number. A new hole or one filled is worth telling the camera soon. */
  observe(seq: number): Arrival {
    const top = this.top;
    if (top === undefined) {
      this.top = this.floor = seq;
      this.mark(seq);
      return 'next';
    }
    const ahead = seqDelta(top, seq);
    if (ahead !== 0 && ahead < 0x8000) {
      for (let k = 1, n = Math.min(ahead, this.window); k <= n; k++) {
        const i = (top + k) & this.mask;
        this.received[i] = 0;
        this.requested[i] = 0;
      }
      this.top = seq;
      if (seqDelta(this.floor, seq) >= this.window) this.floor = (seq - this.window + 1) & 0xffff;
      this.mark(seq);
      return ahead > 1 ? 'hole' : 'next';
    }
    if (seqDelta(seq, top) >= this.window) {
      this.stats.stale++;
      return 'stale';
    }
    // Older than the first one seen, a resend of the stream's first packets: the numbers between were sent too.
    if (seqAfter(this.floor, seq)) this.floor = seq;
    const i = seq & this.mask;
    if (this.received[i]) {
      // Resent although we had it: an ACK of its run was lost; report the run again.
      this.stats.duplicates++;
      this.changed.push(seq);
      return 'duplicate';
    }
    if (this.requested[i]) {
      this.requested[i] = 0;
      this.stats.recovered++;
    }
    this.mark(seq);
    return 'filled';
  }

  /** Something arrived since the last report. */
  get pending(): boolean {
    return this.changed.length > 0;
  }

  /**
   * The runs to acknowledge now, oldest first, at most `max`: each run something arrived in since the last
   * report (the rest wait for the next call). The holes below the newest number ever reported count as
   * requests.
   */
  take(max: number): AckRun[] {
    const top = this.top;
    const out: AckRun[] = [];
    if (top === undefined || this.changed.length === 0) return out;
    const back = (s: number) => seqDelta(s, top);
    const changed = this.changed.filter((s) => back(s) < this.window && !seqAfter(this.floor, s) && this.received[s & this.mask]).sort((a, b) => back(b) - back(a));
    const rest: number[] = [];
    let lastEnd: number | undefined;
    for (const s of changed) {
      if (lastEnd !== undefined && back(s) >= back(lastEnd)) continue;
      if (out.length === max) {
        rest.push(s);
        continue;
      }
      const run = this.runAround(s);
      out.push(run);
      lastEnd = run.rxEnd;
    }
    this.changed = rest;
    if (lastEnd !== undefined && (this.reportedUpTo === undefined || seqAfter(lastEnd, this.reportedUpTo))) this.reportedUpTo = lastEnd;
    if (this.reportedUpTo !== undefined && !seqAfter(this.floor, this.reportedUpTo)) this.markRequested(this.reportedUpTo);
    return out;
  }

  /** The run that ends at the newest sequence number, for an ACK with nothing new to say. */
  newestRun(): AckRun | undefined {
    return this.top === undefined ? undefined : this.runAround(this.top);
  }

  private mark(seq: number): void {
    this.received[seq & this.mask] = 1;
    this.stats.packets++;
    this.changed.push(seq);
  }

  private runAround(s: number): AckRun {
    const top = this.top!;
    let start = s;
    while (start !== this.floor && this.received[(start - 1) & this.mask]) start = (start - 1) & 0xffff;
    let end = s;
    while (end !== top && this.received[(end + 1) & this.mask]) end = (end + 1) & 0xffff;
    return { rxStart: start, rxEnd: end };
  }

  /** Every sequence number from the floor to `end` not received is now asked for (counted once). */
  private markRequested(end: number): void {
    for (let s = this.floor, n = seqDelta(this.floor, end); n >= 0; n--, s = (s + 1) & 0xffff) {
      const i = s & this.mask;
      if (this.received[i] || this.requested[i]) continue;
      this.requested[i] = 1;
      this.stats.requested++;
    }
  }
}
