// Plays a camera's recording in a <video> from any wall-clock time with Media Source Extensions: the
// recording is asked for in pieces (video.mp4 of PIECE_MS each, streamed), appended to one SourceBuffer
// at their wall time (timestampOffset), so media time t is wall time baseMs + t·1000 throughout. Segment
// boundaries inside a piece and between pieces are seamless (the copier's timestamps are continuous);
// a gap in the recording is a hole in the buffered ranges, jumped over with a `skip` event.
import type { ApiClient } from '../api/api-client';
import type { Page } from '../api/types';
import { aheadOf, isBuffered, jumpOverHole, rangesOf } from './buffered';
import { initSegmentLength, mimeOfInit } from './mp4-codecs';
import { openPiece } from './recording-stream';

/** Length of one video.mp4 request. */
const PIECE_MS = 5 * 60_000;
/** Media buffered ahead of the playhead before reading pauses (times the playback rate). */
const AHEAD_S = 20;
/** Media kept behind the playhead (for a step back without a fetch). */
const BEHIND_S = 60;
/** At the newest footage: ask again this often for what was recorded since. */
const TAIL_POLL_MS = 2000;
const TICK_MS = 200;
/** Longest wait for the next footage after a time in a gap (the recordings list window). */
const SEARCH_MS = 31 * 86_400_000;

export type PlayerState = 'idle' | 'loading' | 'playing' | 'paused' | 'waiting' | 'end' | 'error';

export interface PlayerStatus {
  state: PlayerState;
  message?: string;
}

interface SegmentRow {
  from: string;
  to: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Events: `status` (detail PlayerStatus), `skip` (detail { fromMs, toMs }: a gap was jumped over),
 * `firstframe` (detail { latencyMs }: the first frame after a seek was shown).
 */
export class RecordingPlayer extends EventTarget {
  private session: AbortController | undefined;
  private source: MediaSource | undefined;
  private buffer: SourceBuffer | undefined;
  private mime = '';
  private baseMs = 0;
  private rate = 1;
  private timer: ReturnType<typeof setInterval> | undefined;
  private status: PlayerStatus = { state: 'idle' };
  private objectUrl: string | undefined;
  /** Where to start playing once media there has arrived (seconds), and when the seek began. */
  private startAt: { t: number; started: number } | undefined;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly cameraId: number,
    private readonly api: ApiClient,
  ) {
    super();
    for (const e of ['playing', 'pause', 'waiting']) video.addEventListener(e, () => this.onMediaEvent());
  }

  /** The wall time at the playhead (epoch ms), while something is loaded. */
  get wallMs(): number | undefined {
    return this.buffer ? this.baseMs + this.video.currentTime * 1000 : undefined;
  }

  get state(): PlayerStatus {
    return this.status;
  }

  /** Plays from `wallMs`: within what is buffered by moving the playhead, otherwise by loading from there. */
  async seek(wallMs: number): Promise<void> {
    const started = performance.now();
    const t = (wallMs - this.baseMs) / 1000;
    if (this.buffer && this.session && !this.session.signal.aborted && isBuffered(rangesOf(this.video.buffered), t)) {
      this.video.currentTime = t;
      this.whenFrameShown(started);
      await this.video.play().catch(() => undefined);
      return;
    }
    this.stop();
    const session = new AbortController();
    this.session = session;
    this.setStatus({ state: 'loading' });
    const source = new MediaSource();
    this.source = source;
    this.objectUrl = URL.createObjectURL(source);
    this.video.src = this.objectUrl;
    await new Promise<void>((resolve) => source.addEventListener('sourceopen', () => resolve(), { once: true }));
    if (session.signal.aborted) return;
    this.video.playbackRate = this.rate;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    void this.feed(wallMs, started, session.signal).catch((e: unknown) => {
      if (!session.signal.aborted) this.setStatus({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    });
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.video.playbackRate = rate;
  }

  /** Stops loading and playing; the element shows nothing. */
  stop(): void {
    this.session?.abort();
    this.session = undefined;
    this.startAt = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.buffer = undefined;
    this.source = undefined;
    this.video.removeAttribute('src');
    this.video.load();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = undefined;
    this.setStatus({ state: 'idle' });
  }

  private setStatus(s: PlayerStatus): void {
    this.status = s;
    this.dispatchEvent(new CustomEvent('status', { detail: s }));
  }

  private onMediaEvent(): void {
    if (!this.buffer || this.status.state === 'error' || this.status.state === 'end') return;
    this.setStatus({ state: this.video.paused ? 'paused' : this.video.readyState < 3 ? 'waiting' : 'playing' });
  }

  /** Reports when the frame at the new position is on screen. */
  private whenFrameShown(started: number): void {
    const report = () => this.dispatchEvent(new CustomEvent('firstframe', { detail: { latencyMs: performance.now() - started } }));
    const v = this.video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
    if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(report);
    else this.video.addEventListener('timeupdate', report, { once: true });
  }

  /** The first recorded time at or after `ms`, if any. */
  private async nextFootage(ms: number, signal: AbortSignal): Promise<number | undefined> {
    const to = Math.min(ms + SEARCH_MS, Date.now() + 60_000);
    if (to <= ms) return undefined;
    const page = await this.api.get<Page<SegmentRow>>(`/cameras/${this.cameraId}/recordings?from=${new Date(ms).toISOString()}&to=${new Date(to).toISOString()}&limit=1`, signal);
    const first = page.items[0];
    return first ? Math.max(ms, Date.parse(first.from)) : undefined;
  }

  /** Reads pieces one after the other from `fromMs` into the SourceBuffer, as far ahead as AHEAD_S. */
  private async feed(fromMs: number, started: number, signal: AbortSignal): Promise<void> {
    let from = fromMs;
    let first = true;
    while (!signal.aborted) {
      const now = Date.now();
      if (now - from < 1000) {
        if (first) return this.setStatus({ state: 'end', message: 'Nothing recorded after this time yet.' });
        await sleep(TAIL_POLL_MS, signal);
        continue;
      }
      const piece = await openPiece(this.cameraId, from, Math.min(from + PIECE_MS, now), signal);
      if (!piece) {
        const next = await this.nextFootage(from, signal);
        if (next === undefined) {
          if (first) return this.setStatus({ state: 'end', message: 'Nothing recorded after this time.' });
          await sleep(TAIL_POLL_MS, signal);
          continue;
        }
        from = Math.max(next, from + 1);
        continue;
      }
      await this.appendPiece(piece.startMs, piece.body, first ? { targetMs: fromMs, started } : undefined, signal);
      first = false;
      from = piece.toMs;
    }
  }

  private async appendPiece(startMs: number, body: ReadableStream<Uint8Array>, firstOf: { targetMs: number; started: number } | undefined, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
    let pending: Uint8Array | undefined = new Uint8Array(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) return;
      if (pending) {
        const joined: Uint8Array = new Uint8Array(pending.length + value.length);
        joined.set(pending);
        joined.set(value, pending.length);
        const n = initSegmentLength(joined);
        if (n === undefined) {
          pending = joined;
          continue;
        }
        pending = undefined;
        this.startTrack(joined.subarray(0, n), startMs, !!firstOf);
        await this.append(joined, signal);
        if (firstOf) {
          // The piece starts at the keyframe at or before the target; a target in a gap starts where footage does.
          if (startMs > firstOf.targetMs + 1000) this.dispatchEvent(new CustomEvent('skip', { detail: { fromMs: firstOf.targetMs, toMs: startMs } }));
          this.startAt = { t: Math.max(0, (firstOf.targetMs - this.baseMs) / 1000), started: firstOf.started };
          this.startWhenBuffered();
        }
        continue;
      }
      await this.append(value, signal);
      this.startWhenBuffered();
      while (!signal.aborted && aheadOf(rangesOf(this.video.buffered), this.video.currentTime) > AHEAD_S * this.rate) await sleep(TICK_MS, signal);
    }
  }

  /** The SourceBuffer for the first piece; for a later one, its time offset (and codec, when it changed). */
  private startTrack(init: Uint8Array, startMs: number, first: boolean): void {
    const mime = mimeOfInit(init);
    if (first) {
      if (!MediaSource.isTypeSupported(mime)) throw new Error(`this browser cannot play ${mime}`);
      this.baseMs = startMs;
      this.buffer = this.source!.addSourceBuffer(mime);
      this.mime = mime;
    } else if (mime !== this.mime) {
      this.buffer!.changeType(mime);
      this.mime = mime;
    }
    this.buffer!.timestampOffset = (startMs - this.baseMs) / 1000;
  }

  /**
   * Once media at the target has been appended: moves the playhead there and plays. (Set before then, the
   * playhead is clamped to the duration, which is 0 until media arrives.)
   */
  private startWhenBuffered(): void {
    const start = this.startAt;
    if (!start) return;
    const ranges = rangesOf(this.video.buffered);
    const last = ranges[ranges.length - 1];
    if (!last || last.end < Math.max(start.t, ranges[0].start) + 0.1) return;
    this.startAt = undefined;
    this.video.currentTime = Math.max(start.t, ranges[0].start);
    this.whenFrameShown(start.started);
    void this.video.play().catch(() => undefined);
  }

  private async append(bytes: Uint8Array, signal: AbortSignal): Promise<void> {
    const sb = this.buffer!;
    for (let attempt = 0; ; attempt++) {
      await this.idle(sb);
      if (signal.aborted) return;
      try {
        sb.appendBuffer(bytes as Uint8Array<ArrayBuffer>);
        await this.idle(sb);
        return;
      } catch (e) {
        if ((e as DOMException).name !== 'QuotaExceededError' || attempt > 2) throw e;
        await this.trimBehind(0);
        await sleep(500, signal);
      }
    }
  }

  private idle(sb: SourceBuffer): Promise<void> {
    return sb.updating ? new Promise((r) => sb.addEventListener('updateend', () => r(), { once: true })) : Promise.resolve();
  }

  private async trimBehind(keepS = BEHIND_S): Promise<void> {
    const sb = this.buffer;
    const end = this.video.currentTime - keepS;
    if (!sb || end <= 0 || sb.updating) return;
    const start = sb.buffered.length ? sb.buffered.start(0) : 0;
    if (end > start) {
      sb.remove(start, end);
      await this.idle(sb);
    }
  }

  /** Jumps over holes (gaps in the recording), and trims what is far behind. */
  private tick(): void {
    if (!this.buffer || this.video.paused) return;
    const jump = jumpOverHole(rangesOf(this.video.buffered), this.video.currentTime);
    if (jump) {
      this.video.currentTime = jump.to + 0.01;
      this.dispatchEvent(new CustomEvent('skip', { detail: { fromMs: this.baseMs + jump.from * 1000, toMs: this.baseMs + jump.to * 1000 } }));
    }
    if (!this.buffer.updating && this.video.currentTime > BEHIND_S * 2) void this.trimBehind();
  }
}
