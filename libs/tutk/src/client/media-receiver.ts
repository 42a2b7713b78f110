/**
 * The media half of a client session on channel 0: media records into the FrameAssembler, frames out in
 * order, and, once the camera sends the resend = 1 wrapped format, retransmission: each record's sequence
 * number into ReceivedRuns, the runs out in ACKs, and a bounded wait for what is missing (INFERRED model,
 * av/received-runs.ts). Direct media (resend = 0, or a camera that ignores resend = 1) is assembled just
 * the same, with go2rtc's ACKs.
 */
import { RX_UNSET } from '../av/ack';
import { type AckRun, ReceivedRuns } from '../av/received-runs';
import { FrameAssembler, type Frame, type FrameAssemblerOptions } from '../frames/assembler';
import { RESEND_WRAPPER } from '../frames/packet';
import type { TimerSet } from '../session/timers';
import { u16le } from '../wire/byte-reader';

/**
 * A new or filled hole is reported this long after, so that a packet UDP merely reordered (by up to about
 * 20 ms) is in the report rather than asked for, and one ACK burst covers what arrives meanwhile.
 */
const REPORT_DELAY_MS = 30;
/** ACK records at most per report (each names one run). */
const MAX_RUNS_PER_REPORT = 16;
/** With resend = 1 the time bound, not these counts, ends a wait (they still cap memory). */
const RESEND_MAX_HELD_FRAMES = 64;
const RESEND_MAX_IN_FLIGHT = 16;
const UNSET_RUN: AckRun = { rxStart: RX_UNSET, rxEnd: RX_UNSET };

export interface RetransmissionStats {
  /** The media format the camera sends; undefined before any media. */
  format: 'direct' | 'wrapped' | undefined;
  /** Missing sequence numbers the ACKs have asked the camera for (resend requests). */
  requested: number;
  /** Of those, packets that arrived afterwards. */
  recovered: number;
  /** ACK records sent to report a run received. */
  runsReported: number;
  /**
   * Wrapped records dropped before assembly: a copy of one already received (a resend that crossed its
   * ACK), or one older than the sequence numbers tracked.
   */
  duplicates: number;
  stale: number;
}

export interface MediaReceiverHost {
  readonly timers: TimerSet;
  /** One ACK: reporting `run`, or (without) whatever the AV channel reports by default. */
  sendAck(run?: AckRun): void;
  deliver(frame: Frame): void;
}

export interface MediaReceiverOptions {
  /** What the client asked for at AV login: with 1, the wait for a missing packet is bounded by `waitMs`. */
  resend: 0 | 1;
  waitMs: number;
  assembler?: FrameAssemblerOptions;
}

export class MediaReceiver {
  readonly assembler: FrameAssembler;
  private readonly runs = new ReceivedRuns();
  private format: 'direct' | 'wrapped' | undefined;
  private readonly resend: 0 | 1;
  private reportScheduled = false;
  private runsReported = 0;

  constructor(
    private readonly host: MediaReceiverHost,
    o: MediaReceiverOptions,
  ) {
    const bounded: FrameAssemblerOptions = o.resend === 1 ? { maxWaitMs: o.waitMs, maxHeldFrames: RESEND_MAX_HELD_FRAMES, maxInFlightPerChannel: RESEND_MAX_IN_FLIGHT } : {};
    this.assembler = new FrameAssembler({ ...bounded, ...o.assembler });
    this.resend = o.resend;
  }

  get stats(): RetransmissionStats {
    const r = this.runs.stats;
    return { format: this.format, requested: r.requested, recovered: r.recovered, runsReported: this.runsReported, duplicates: r.duplicates, stale: r.stale };
  }

  /** One media record (isMediaRecord). */
  push(record: Uint8Array): void {
    if (record[0] === RESEND_WRAPPER) {
      this.format = 'wrapped';
      const arrival = this.runs.observe(u16le(record, 4));
      if (arrival === 'hole' || arrival === 'filled') this.scheduleReport();
      // A second copy never reaches the assembler, however late: its frame may be long delivered.
      else if (arrival === 'duplicate' || arrival === 'stale') return;
    } else {
      this.format ??= 'direct';
    }
    // One record can complete a frame that later ones were held back for: deliver them all, in order.
    for (let f = this.assembler.push(record); f; f = this.assembler.pull()) this.host.deliver(f);
  }

  /**
   * What an ACK with nothing new to say reports: the newest run once wrapped media flows; before any media
   * with resend = 1 asked, the unset window, since go2rtc's window would report the camera's control-record
   * numbers, which the camera would take for media it can stop keeping; undefined (go2rtc's window) with
   * direct media.
   */
  defaultRun(): AckRun | undefined {
    if (this.format === 'wrapped') return this.runs.newestRun();
    return this.format === undefined && this.resend === 1 ? UNSET_RUN : undefined;
  }

  /**
   * Every 100 ms (FACTS §8.3): the ACKs, then the bounded wait. That runs after the datagrams already
   * received are read (a timeout of 0 follows the I/O phase), so a late event loop does not give up a
   * packet that is waiting in the socket.
   */
  tick(): void {
    if (!this.report()) this.host.sendAck();
    this.host.timers.timeout(0, () => {
      this.assembler.expire();
      for (let f = this.assembler.pull(); f; f = this.assembler.pull()) this.host.deliver(f);
    });
  }

  /** The end of the session: what is held for ordering comes out, in order. */
  flush(): void {
    this.assembler.flush();
    for (let f = this.assembler.pull(); f; f = this.assembler.pull()) this.host.deliver(f);
  }

  private scheduleReport(): void {
    if (this.reportScheduled) return;
    this.reportScheduled = true;
    this.host.timers.timeout(REPORT_DELAY_MS, () => {
      this.reportScheduled = false;
      this.report();
    });
  }

  /** ACKs for the runs that changed; false when there were none. */
  private report(): boolean {
    const runs = this.runs.take(MAX_RUNS_PER_REPORT);
    for (const run of runs) this.host.sendAck(run);
    this.runsReported += runs.length;
    return runs.length > 0;
  }
}
