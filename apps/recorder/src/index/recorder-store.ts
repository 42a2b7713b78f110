import { CameraEntity, type GapReason } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import type { ActivityRecord } from '../motion/gop-activity';
import { staleLeaseOr, type LeaseToken } from '../cluster/stale-lease.error';
import type { SegmentRecord } from '../segment/segmenter';

export interface GapRecord {
  cameraId: number;
  startUs: number;
  /** null while footage is still missing. */
  endUs: number | null;
  reason: GapReason;
}

/** A motion event row as the recorder knows it; endUs is null while the motion lasts. */
export interface EventRecord {
  cameraId: number;
  /**
   * The start as first written: the key of the row while the detector may still move its start earlier
   * (an event's end carries its final interval).
   */
  openedStartUs: number;
  startUs: number;
  endUs: number | null;
  peakScore: number;
  preRollUs: number;
  postRollUs: number;
}

export interface CameraStatusRecord {
  cameraId: number;
  state: string;
  lastFrameUs: number | null;
  frames: number;
  bytes: number;
  reconnects: number;
  lastError: string | null;
}

/** A camera row as the recorder reads it: the ENR still encrypted. */
export interface StoredCamera {
  id: number;
  name: string;
  uid: string;
  enrEncrypted: string;
  mac: string;
  ip: string | null;
  port: number | null;
  model: string;
  quality: 'hd' | 'sd';
  enabled: boolean;
}

/** An indexed segment as reconcile needs it. */
export interface IndexedSegmentRow {
  path: string;
  state: string;
  bytes: number;
  startUs: number;
  endUs: number;
  updatedAtMs: number;
  /** The recorder node that wrote it under a lease; null for rows written without one. */
  nodeId?: string | null;
}

/** Everything the recorder writes to or reads from PostgreSQL. Writes are idempotent (upserts), so a retry after an outage never duplicates a row. */
export interface RecorderStore {
  /** Every camera, enabled or not, by id (CameraSync picks the ones to run). */
  allCameras(): Promise<StoredCamera[]>;
  /** Enables or disables a camera (MQTT `recording/set`); false when there is no such camera. */
  setCameraEnabled(cameraId: number, enabled: boolean): Promise<boolean>;
  /** Every camera's id, enabled or not (reconcile covers them all). */
  cameraIds(): Promise<number[]>;
  /**
   * Segment, gap and event writes: with `lease` the row carries it and the database refuses it (StaleLeaseError)
   * unless that lease is still the camera's; without, the row's node and epoch are left as they are.
   */
  upsertSegment(r: SegmentRecord, lease?: LeaseToken): Promise<void>;
  upsertGap(g: GapRecord, lease?: LeaseToken): Promise<void>;
  /** Inserts the event, or updates the row written under its openedStartUs (or already moved to its startUs); the row's id. */
  upsertEvent(e: EventRecord, lease?: LeaseToken): Promise<number>;
  /**
   * Writes a minute's activity snapshot. Entries stored before the snapshot's first GOP (from an earlier
   * recorder process in the same minute) are kept; the rest are replaced, so a replay changes nothing.
   * A snapshot only grows, so the minute's max_level is the greater of the stored one and the new one.
   */
  upsertActivity(a: ActivityRecord): Promise<void>;
  /** Ends the events a previous run left open, at the camera's last indexed footage. */
  closeOpenEvents(cameraId: number): Promise<void>;
  /** Upserts the status rows; `recorderUrl` is the base URL of this recorder's internal server. */
  writeStatus(rows: readonly CameraStatusRecord[], recorder: string, recorderUrl: string | null): Promise<void>;
  /** The end of the newest indexed footage of a camera. */
  lastFootageEndUs(cameraId: number): Promise<number | undefined>;
  openGap(cameraId: number): Promise<GapRecord | undefined>;
  segmentsOf(cameraId: number): Promise<IndexedSegmentRow[]>;
  /** The path of segment `id` (its row), or undefined. */
  segmentPath(id: number): Promise<string | undefined>;
  markMissing(paths: readonly string[]): Promise<void>;
  /**
   * A gap that starts at `fromUs` starts at `toUs` instead (reconcile found more footage in a crashed
   * node's last file than its row said, after another node had opened the takeover gap at the row's end).
   */
  moveGapStart(cameraId: number, fromUs: number, toUs: number): Promise<void>;
  deleteSegmentRow(path: string): Promise<void>;
}

/**
 * The update of an upsert under a lease sets node and epoch, which is what fires the fence trigger on an
 * UPDATE (`BEFORE UPDATE OF epoch`); without a lease they are left as they are.
 */
const LEASE_SET = (lease: LeaseToken | undefined): string => (lease ? ', node_id = EXCLUDED.node_id, epoch = EXCLUDED.epoch' : '');

/** RecorderStore over the app's DataSource, in plain SQL: the hot statements are upserts TypeORM's builder would only wrap. */
export class PgRecorderStore implements RecorderStore {
  constructor(private readonly ds: DataSource) {}

  async allCameras(): Promise<StoredCamera[]> {
    const rows = await this.ds.getRepository(CameraEntity).find({ order: { id: 'ASC' } });
    return rows.map((r) => ({ id: r.id, name: r.name, uid: r.uid, enrEncrypted: r.enrEncrypted, mac: r.mac, ip: r.ip, port: r.port, model: r.model, quality: r.quality, enabled: r.enabled }));
  }

  async setCameraEnabled(cameraId: number, enabled: boolean): Promise<boolean> {
    // Through a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count], whose length is always 2.
    const rows: unknown[] = await this.ds.query(`WITH u AS (UPDATE cameras SET enabled = $2, updated_at = now() WHERE id = $1 RETURNING id) SELECT id FROM u`, [cameraId, enabled]);
    return rows.length > 0;
  }

  async cameraIds(): Promise<number[]> {
    const rows: { id: number }[] = await this.ds.query(`SELECT id FROM cameras ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** A query of a write under `lease`: a refusal at the lease fence comes back as StaleLeaseError. */
  private async leased<T>(cameraId: number, lease: LeaseToken | undefined, sql: string, params: unknown[]): Promise<T> {
    try {
      return (await this.ds.query(sql, [...params, lease?.nodeId ?? null, lease?.epoch ?? null])) as T;
    } catch (e) {
      throw staleLeaseOr(e, cameraId, lease);
    }
  }

  async upsertSegment(r: SegmentRecord, lease?: LeaseToken): Promise<void> {
    await this.leased(
      r.cameraId,
      lease,
      `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, video_frames, audio_frames, keyframes, video_codec, audio_codec, width, height, state, node_id, epoch)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (path) DO UPDATE SET
         end_us = EXCLUDED.end_us, bytes = EXCLUDED.bytes, video_frames = EXCLUDED.video_frames,
         audio_frames = EXCLUDED.audio_frames, keyframes = EXCLUDED.keyframes, state = EXCLUDED.state, updated_at = now()${LEASE_SET(lease)}`,
      [r.cameraId, r.startUs, r.endUs, r.path, r.bytes, r.videoFrames, r.audioFrames, r.keyframes, r.videoCodec, r.audioCodec, r.width, r.height, r.state],
    );
  }

  async upsertGap(g: GapRecord, lease?: LeaseToken): Promise<void> {
    await this.leased(
      g.cameraId,
      lease,
      `INSERT INTO gaps (camera_id, start_us, end_us, reason, node_id, epoch) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (camera_id, start_us) DO UPDATE SET end_us = EXCLUDED.end_us, reason = EXCLUDED.reason, updated_at = now()${LEASE_SET(lease)}`,
      [g.cameraId, g.startUs, g.endUs, g.reason],
    );
  }

  async upsertEvent(e: EventRecord, lease?: LeaseToken): Promise<number> {
    // Moves the row from its first start to its final one; when a retry finds it already moved, the insert
    // conflicts on (camera, kind, start) and updates it instead, so replays never add a row. `protected`
    // belongs to the API and is never written here.
    const rows = await this.leased<{ id: number }[]>(
      e.cameraId,
      lease,
      `WITH moved AS (
         UPDATE events SET start_us = $3, end_us = $4, peak_score = $5, pre_roll_us = $6, post_roll_us = $7, updated_at = now()${lease ? ', node_id = $8, epoch = $9' : ''}
          WHERE camera_id = $1 AND kind = 'motion' AND start_us = $2
         RETURNING id),
       inserted AS (
         INSERT INTO events (camera_id, kind, start_us, end_us, peak_score, pre_roll_us, post_roll_us, node_id, epoch)
         SELECT $1, 'motion', $3, $4, $5, $6, $7, $8, $9 WHERE NOT EXISTS (SELECT 1 FROM moved)
         ON CONFLICT (camera_id, kind, start_us) DO UPDATE SET
           end_us = EXCLUDED.end_us, peak_score = EXCLUDED.peak_score, pre_roll_us = EXCLUDED.pre_roll_us,
           post_roll_us = EXCLUDED.post_roll_us, updated_at = now()${LEASE_SET(lease)}
         RETURNING id)
       SELECT id FROM moved UNION ALL SELECT id FROM inserted`,
      [e.cameraId, e.openedStartUs, e.startUs, e.endUs, e.peakScore, e.preRollUs, e.postRollUs],
    );
    return rows[0].id;
  }

  async upsertActivity(a: ActivityRecord): Promise<void> {
    // Entries are 3 bytes, ordered by their u16 big-endian offset_ms (libs/db motion-activity.ts).
    await this.ds.query(
      `INSERT INTO motion_activity AS m (camera_id, minute_us, max_level, entries) VALUES ($1, $2, $4, $3)
       ON CONFLICT (camera_id, minute_us) DO UPDATE SET max_level = greatest(m.max_level, EXCLUDED.max_level), entries = coalesce((
         SELECT string_agg(substring(m.entries FROM i * 3 + 1 FOR 3), ''::bytea ORDER BY i)
           FROM generate_series(0, length(m.entries) / 3 - 1) AS i
          WHERE get_byte(m.entries, i * 3) * 256 + get_byte(m.entries, i * 3 + 1)
              < get_byte(EXCLUDED.entries, 0) * 256 + get_byte(EXCLUDED.entries, 1)), ''::bytea) || EXCLUDED.entries`,
      [a.cameraId, a.minuteUs, Buffer.from(a.entries.buffer, a.entries.byteOffset, a.entries.byteLength), a.maxLevel],
    );
  }

  async closeOpenEvents(cameraId: number): Promise<void> {
    await this.ds.query(
      `UPDATE events e SET end_us = greatest(e.start_us, coalesce(f.end_us, e.start_us)), updated_at = now()
         FROM (SELECT max(end_us) AS end_us FROM segments WHERE camera_id = $1 AND state <> 'missing') f
        WHERE e.camera_id = $1 AND e.kind = 'motion' AND e.end_us IS NULL`,
      [cameraId],
    );
  }

  async writeStatus(rows: readonly CameraStatusRecord[], recorder: string, recorderUrl: string | null): Promise<void> {
    if (rows.length === 0) return;
    await this.ds.query(
      `INSERT INTO camera_status (camera_id, state, last_frame_us, frames, bytes, reconnects, last_error, recorder, recorder_url, updated_at)
       SELECT u.camera_id, u.state, u.last_frame_us, u.frames, u.bytes, u.reconnects, u.last_error, $8, $9, now()
       FROM unnest($1::int[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::int[], $7::text[])
         AS u(camera_id, state, last_frame_us, frames, bytes, reconnects, last_error)
       ON CONFLICT (camera_id) DO UPDATE SET state = EXCLUDED.state, last_frame_us = EXCLUDED.last_frame_us, frames = EXCLUDED.frames,
         bytes = EXCLUDED.bytes, reconnects = EXCLUDED.reconnects, last_error = EXCLUDED.last_error, recorder = EXCLUDED.recorder,
         recorder_url = EXCLUDED.recorder_url, updated_at = now()`,
      [
        rows.map((r) => r.cameraId),
        rows.map((r) => r.state),
        rows.map((r) => r.lastFrameUs),
        rows.map((r) => r.frames),
        rows.map((r) => r.bytes),
        rows.map((r) => r.reconnects),
        rows.map((r) => r.lastError),
        recorder,
        recorderUrl,
      ],
    );
  }

  async lastFootageEndUs(cameraId: number): Promise<number | undefined> {
    const rows: { end_us: number | null }[] = await this.ds.query(`SELECT max(end_us) AS end_us FROM segments WHERE camera_id = $1 AND state <> 'missing'`, [cameraId]);
    return rows[0]?.end_us ?? undefined;
  }

  async openGap(cameraId: number): Promise<GapRecord | undefined> {
    const rows: { start_us: number; reason: GapRecord['reason'] }[] = await this.ds.query(`SELECT start_us, reason FROM gaps WHERE camera_id = $1 AND end_us IS NULL`, [cameraId]);
    return rows[0] ? { cameraId, startUs: rows[0].start_us, endUs: null, reason: rows[0].reason } : undefined;
  }

  async segmentsOf(cameraId: number): Promise<IndexedSegmentRow[]> {
    const rows: { path: string; state: string; bytes: number; start_us: number; end_us: number; updated_ms: number; node_id: string | null }[] = await this.ds.query(
      `SELECT path, state, bytes, start_us, end_us, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms, node_id FROM segments WHERE camera_id = $1`,
      [cameraId],
    );
    return rows.map((r) => ({ path: r.path, state: r.state, bytes: r.bytes, startUs: r.start_us, endUs: r.end_us, updatedAtMs: r.updated_ms, nodeId: r.node_id }));
  }

  async segmentPath(id: number): Promise<string | undefined> {
    const rows: { path: string }[] = await this.ds.query(`SELECT path FROM segments WHERE id = $1`, [id]);
    return rows[0]?.path;
  }

  async markMissing(paths: readonly string[]): Promise<void> {
    if (paths.length) await this.ds.query(`UPDATE segments SET state = 'missing', updated_at = now() WHERE path = ANY($1::text[])`, [paths]);
  }

  async moveGapStart(cameraId: number, fromUs: number, toUs: number): Promise<void> {
    await this.ds.query(`UPDATE gaps SET start_us = $3, updated_at = now() WHERE camera_id = $1 AND start_us = $2 AND (end_us IS NULL OR end_us >= $3)`, [cameraId, fromUs, toUs]);
  }

  async deleteSegmentRow(path: string): Promise<void> {
    await this.ds.query(`DELETE FROM segments WHERE path = $1`, [path]);
  }
}
