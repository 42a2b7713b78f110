import type { Logger } from '@wyze-nvr/log';
import { StaleLeaseError, type LeaseToken } from '../cluster/stale-lease.error';
import { sleep, systemClock, type RecorderClock } from '../clock/recorder-clock';
import type { SegmentRecord } from '../segment/segmenter';
import type { ActivityRecord } from '../motion/gop-activity';
import type { EventRecord, GapRecord, RecorderStore } from './recorder-store';

/**
 * One camera's pending index writes. Each segment (by path) and each gap (by start) keeps only its newest
 * snapshot, and a snapshot is a whole-row upsert, so writes can be retried after a database outage in any
 * number without duplicating rows; nothing is lost while the process lives (files on disk cover a crash:
 * reconcile indexes them at the next start). Writes go one at a time, oldest key first.
 *
 * Under a camera lease every write carries its token; a write the database refuses as stale
 * (StaleLeaseError: another node owns the camera now) is dropped, not retried, counted in `fenced`, and
 * reported to `onFenced` so the camera stops at once.
 */
export class IndexQueue {
  private readonly segments = new Map<string, SegmentRecord>();
  private readonly gaps = new Map<number, GapRecord>();
  /** Motion events by the start they were opened with (a start, then its end, replace each other). */
  private readonly events = new Map<number, EventRecord>();
  /** Motion activity by minute: each snapshot holds the whole minute so far, so the newest replaces the rest. */
  private readonly activityMinutes = new Map<number, ActivityRecord>();
  private running: Promise<void> | undefined;
  private retryMs = 0;
  private wakeRetry: (() => void) | undefined;
  private stopped = false;
  /** Told each event row written, with its id (MQTT's `events` topic carries it). */
  private eventWritten: ((e: EventRecord, id: number) => void) | undefined;
  private fencedListener: ((e: StaleLeaseError) => void) | undefined;
  /** Consecutive failed writes (0 while the database answers). */
  failures = 0;
  written = 0;
  /** Writes the database refused as stale under the lease (never retried). */
  fenced = 0;

  constructor(
    private readonly store: RecorderStore,
    private readonly log: Logger,
    private readonly maxRetryMs = 5000,
    private readonly clock: RecorderClock = systemClock,
    private readonly lease?: LeaseToken,
  ) {}

  get pending(): number {
    return this.segments.size + this.gaps.size + this.events.size + this.activityMinutes.size;
  }

  segment(r: Readonly<SegmentRecord>): void {
    this.segments.delete(r.path); // re-inserted last, but its position does not matter for an upsert by path
    this.segments.set(r.path, { ...r });
    this.kick();
  }

  gap(g: Readonly<GapRecord>): void {
    // Insertion order is kept for an existing key, so a gap's close is written before a later gap opens
    // (at most one open gap per camera).
    this.gaps.set(g.startUs, { ...g });
    this.kick();
  }

  event(e: Readonly<EventRecord>): void {
    this.events.set(e.openedStartUs, { ...e });
    this.kick();
  }

  activity(a: Readonly<ActivityRecord>): void {
    this.activityMinutes.set(a.minuteUs, { ...a });
    this.kick();
  }

  onEventWritten(fn: (e: EventRecord, id: number) => void): void {
    this.eventWritten = fn;
  }

  onFenced(fn: (e: StaleLeaseError) => void): void {
    this.fencedListener = fn;
  }

  /** Drops the write the database refused as stale (the same write can never succeed) and says so. */
  private refused<K>(map: Map<K, unknown>, key: K, written: unknown, e: StaleLeaseError): void {
    if (map.get(key) === written) map.delete(key);
    this.fenced++;
    if (this.fenced === 1) this.log.warn({ err: e, pending: this.pending }, 'index write refused: the camera lease is stale');
    this.fencedListener?.(e);
  }

  private kick(): void {
    if (!this.running && !this.stopped) this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop(): Promise<void> {
    for (;;) {
      const gapEntry = this.gaps.entries().next();
      const eventEntry = gapEntry.done ? this.events.entries().next() : undefined;
      const segEntry = gapEntry.done && eventEntry?.done ? this.segments.entries().next() : undefined;
      // Activity last: a timeline without it is still right, one without its segments is not.
      const activityEntry = segEntry?.done ? this.activityMinutes.entries().next() : undefined;
      if (gapEntry.done && eventEntry?.done && segEntry?.done && activityEntry?.done) return;
      try {
        if (!gapEntry.done) {
          const [key, g] = gapEntry.value;
          const fence = await this.store.upsertGap(g, this.lease).catch(stale);
          if (fence) {
            this.refused(this.gaps, key, g, fence);
            continue;
          }
          if (this.gaps.get(key) === g) this.gaps.delete(key);
        } else if (eventEntry && !eventEntry.done) {
          const [key, e] = eventEntry.value;
          const id = await this.store.upsertEvent(e, this.lease).catch(stale);
          if (id instanceof StaleLeaseError) {
            this.refused(this.events, key, e, id);
            continue;
          }
          if (this.events.get(key) === e) this.events.delete(key);
          try {
            this.eventWritten?.(e, id);
          } catch (err) {
            this.log.debug({ err }, 'event listener failed'); // a listener never fails the index write
          }
        } else if (segEntry && !segEntry.done) {
          const [key, r] = segEntry.value;
          const fence = await this.store.upsertSegment(r, this.lease).catch(stale);
          if (fence) {
            this.refused(this.segments, key, r, fence);
            continue;
          }
          if (this.segments.get(key) === r) this.segments.delete(key);
        } else {
          const [key, a] = activityEntry!.value as [number, ActivityRecord];
          await this.store.upsertActivity(a);
          if (this.activityMinutes.get(key) === a) this.activityMinutes.delete(key);
        }
        this.written++;
        if (this.failures > 0) this.log.info({ pending: this.pending, failures: this.failures }, 'index writes resumed');
        this.failures = 0;
        this.retryMs = 0;
      } catch (e) {
        this.failures++;
        if (this.failures === 1) this.log.warn({ err: e, pending: this.pending }, 'index write failed; keeping it queued and retrying');
        if (this.stopped) return;
        this.retryMs = Math.min(this.maxRetryMs, this.retryMs ? this.retryMs * 2 : 250);
        const wait = sleep(this.clock, this.retryMs);
        this.wakeRetry = wait.wake;
        await wait.done;
        this.wakeRetry = undefined;
        if (this.stopped) return;
      }
    }
  }

  /** Waits until everything queued is written, or `timeoutMs` passes; true when nothing is left. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.monotonicMs() + timeoutMs;
    while (this.pending > 0 && this.clock.monotonicMs() < deadline) {
      this.wakeRetry?.(); // retry now rather than after the backoff
      this.kick();
      await sleep(this.clock, 50).done;
    }
    return this.pending === 0;
  }

  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
  }
}

/** A StaleLeaseError as a value (handled in place); any other error rethrown (an outage: retried). */
function stale(e: unknown): StaleLeaseError {
  if (e instanceof StaleLeaseError) return e;
  throw e;
}
