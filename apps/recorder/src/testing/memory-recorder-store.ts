// Test-only: the RecorderStore contract held in maps, with an outage switch.
import type { ActivityRecord } from '../motion/gop-activity';
import type { LeaseToken } from '../cluster/stale-lease.error';
import type { SegmentRecord } from '../segment/segmenter';
import type { CameraStatusRecord, EventRecord, GapRecord, IndexedSegmentRow, RecorderStore, StoredCamera } from '../index/recorder-store';

/**
 * Rows keyed as PostgreSQL keys them (segments by path, gaps by camera and start, events by camera and
 * start), so upserts replace as the real store does. While `down` is set every call rejects, as a
 * database outage does; `writes` lists every write that succeeded, in order.
 */
export class MemoryRecorderStore implements RecorderStore {
  readonly cameras: StoredCamera[] = [];
  readonly segments = new Map<string, SegmentRecord & { updatedAtMs: number }>();
  readonly gaps = new Map<string, GapRecord>();
  readonly events = new Map<string, EventRecord & { id: number }>();
  private nextEventId = 1;
  /** Activity snapshots by camera and minute (the newest; the real store also keeps earlier GOPs of another process). */
  readonly activity = new Map<string, ActivityRecord>();
  readonly status = new Map<number, CameraStatusRecord & { recorderUrl: string | null }>();
  readonly writes: string[] = [];
  down = false;
  /** Calls rejected while down. */
  refused = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  private async up(): Promise<void> {
    await Promise.resolve();
    if (this.down) {
      this.refused++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
  }

  async allCameras(): Promise<StoredCamera[]> {
    await this.up();
    return [...this.cameras].sort((a, b) => a.id - b.id).map((c) => ({ ...c }));
  }

  async setCameraEnabled(cameraId: number, enabled: boolean): Promise<boolean> {
    await this.up();
    const c = this.cameras.find((x) => x.id === cameraId);
    if (c) c.enabled = enabled;
    return !!c;
  }

  async cameraIds(): Promise<number[]> {
    await this.up();
    return this.cameras.map((c) => c.id).sort((a, b) => a - b);
  }

  /** The node each segment row was written under (a lease), by path; absent: none. */
  readonly segmentNodes = new Map<string, string>();

  async upsertSegment(r: SegmentRecord, lease?: LeaseToken): Promise<void> {
    await this.up();
    this.segments.set(r.path, { ...r, updatedAtMs: this.nowMs() });
    if (lease) this.segmentNodes.set(r.path, lease.nodeId);
    this.writes.push(`segment ${r.path} ${r.state}`);
  }

  async upsertGap(g: GapRecord): Promise<void> {
    await this.up();
    this.gaps.set(`${g.cameraId}:${g.startUs}`, { ...g });
    this.writes.push(`gap ${g.startUs} ${g.endUs === null ? 'open' : 'closed'}`);
  }

  async upsertEvent(e: EventRecord): Promise<number> {
    await this.up();
    const moved = this.events.get(`${e.cameraId}:${e.openedStartUs}`);
    if (moved) this.events.delete(`${e.cameraId}:${e.openedStartUs}`);
    const id = moved?.id ?? this.events.get(`${e.cameraId}:${e.startUs}`)?.id ?? this.nextEventId++;
    this.events.set(`${e.cameraId}:${e.startUs}`, { ...e, id });
    this.writes.push(`event ${e.openedStartUs} ${e.endUs === null ? 'open' : 'closed'}`);
    return id;
  }

  async upsertActivity(a: ActivityRecord): Promise<void> {
    await this.up();
    this.activity.set(`${a.cameraId}:${a.minuteUs}`, { ...a });
    this.writes.push(`activity ${a.minuteUs} ${a.entries.length / 3}`);
  }

  async closeOpenEvents(cameraId: number): Promise<void> {
    await this.up();
    const end = await this.lastFootageEndUs(cameraId);
    for (const e of this.events.values()) if (e.cameraId === cameraId && e.endUs === null) e.endUs = Math.max(e.startUs, end ?? e.startUs);
  }

  async writeStatus(rows: readonly CameraStatusRecord[], _recorder: string, recorderUrl: string | null): Promise<void> {
    await this.up();
    for (const r of rows) this.status.set(r.cameraId, { ...r, recorderUrl });
  }

  async lastFootageEndUs(cameraId: number): Promise<number | undefined> {
    await this.up();
    const ends = [...this.segments.values()].filter((s) => s.cameraId === cameraId && s.state !== 'missing').map((s) => s.endUs);
    return ends.length ? Math.max(...ends) : undefined;
  }

  async openGap(cameraId: number): Promise<GapRecord | undefined> {
    await this.up();
    const g = [...this.gaps.values()].find((x) => x.cameraId === cameraId && x.endUs === null);
    return g && { ...g };
  }

  async moveGapStart(cameraId: number, fromUs: number, toUs: number): Promise<void> {
    await this.up();
    const g = this.gaps.get(`${cameraId}:${fromUs}`);
    if (!g || (g.endUs !== null && g.endUs < toUs)) return;
    this.gaps.delete(`${cameraId}:${fromUs}`);
    this.gaps.set(`${cameraId}:${toUs}`, { ...g, startUs: toUs });
  }

  async segmentPath(id: number): Promise<string | undefined> {
    await this.up();
    return [...this.segments.keys()][id - 1];
  }

  async segmentsOf(cameraId: number): Promise<IndexedSegmentRow[]> {
    await this.up();
    return [...this.segments.values()]
      .filter((s) => s.cameraId === cameraId)
      .map((s) => ({ path: s.path, state: s.state, bytes: s.bytes, startUs: s.startUs, endUs: s.endUs, updatedAtMs: s.updatedAtMs, nodeId: this.segmentNodes.get(s.path) ?? null }));
  }

  async markMissing(paths: readonly string[]): Promise<void> {
    await this.up();
    for (const p of paths) {
      const s = this.segments.get(p);
      if (s) s.state = 'missing';
    }
  }

  async deleteSegmentRow(path: string): Promise<void> {
    await this.up();
    this.segments.delete(path);
  }
}
