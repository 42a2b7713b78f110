import { Inject, Injectable } from '@nestjs/common';
import { intervalsOverlap, MINUTE_US, RetentionPolicyEntity, type SqlInterval } from '@wyze-nvr/db';
import type { DataSource, EntityManager } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

export interface SegmentCandidate {
  id: number;
  cameraId: number;
  startUs: number;
  endUs: number;
  bytes: number;
}

export interface JournalRow {
  segmentId: number;
  cameraId: number;
  path: string;
  bytes: number;
}

export type PolicyValues = Pick<RetentionPolicyEntity, 'maxAgeUs' | 'maxBytes' | 'minFreeBytes'>;

/**
 * A segment may go unless it is still being written, or overlaps the footage of a protected event
 * ([start − pre-roll, end + post-roll), open-ended while the event lasts), or the range of an export
 * that is queued or active.
 */
const SEGMENT: SqlInterval = ['s.start_us', 's.end_us'];
const DELETABLE = `
  s.state <> 'open'
  AND NOT EXISTS (
    SELECT 1 FROM events e
     WHERE e.camera_id = s.camera_id AND e.protected
       AND ${intervalsOverlap(['e.start_us - e.pre_roll_us', 'e.end_us + e.post_roll_us'], SEGMENT)})
  AND NOT EXISTS (
    SELECT 1 FROM exports x
     WHERE x.camera_id = s.camera_id AND x.state IN ('queued', 'active')
       AND ${intervalsOverlap(['x.from_us', 'x.to_us'], SEGMENT)})`;

/**
 * What a sweep's journal transaction takes first. A write that newly protects footage waits for it: an
 * export insert by lock conflict, `protect` by taking it, so a sweep either finished before or sees it.
 */
export const SWEEP_LOCK = `LOCK TABLE exports IN SHARE ROW EXCLUSIVE MODE`;

@Injectable()
export class RetentionRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  policies(): Promise<RetentionPolicyEntity[]> {
    return this.ds.getRepository(RetentionPolicyEntity).find({ order: { id: 'ASC' } });
  }

  /** Inserts or replaces the policy of one camera, or the global one (cameraId null). */
  async upsertPolicy(cameraId: number | null, values: PolicyValues): Promise<RetentionPolicyEntity> {
    return this.ds.transaction(async (m: EntityManager) => {
      const repo = m.getRepository(RetentionPolicyEntity);
      const existing = await repo.createQueryBuilder('p').where(cameraId === null ? 'p.camera_id IS NULL' : 'p.camera_id = :cameraId', { cameraId }).getOne();
      if (existing) {
        await repo.update({ id: existing.id }, values);
        return repo.findOneByOrFail({ id: existing.id });
      }
      const r = await repo.insert({ cameraId, ...values });
      return repo.findOneByOrFail({ id: r.identifiers[0].id as number });
    });
  }

  async deletePolicy(cameraId: number): Promise<boolean> {
    const r = await this.ds.getRepository(RetentionPolicyEntity).delete({ cameraId });
    return (r.affected ?? 0) > 0;
  }

  /** Deletable segments, oldest first: of one camera (or all), optionally only those ending at or before `endAtMostUs`. */
  candidates(opts: { cameraId?: number; endAtMostUs?: number; limit: number }): Promise<SegmentCandidate[]> {
    const where = [DELETABLE];
    const params: unknown[] = [];
    if (opts.cameraId !== undefined) {
      params.push(opts.cameraId);
      where.push(`s.camera_id = $${params.length}`);
    }
    if (opts.endAtMostUs !== undefined) {
      params.push(opts.endAtMostUs);
      where.push(`s.end_us <= $${params.length}`);
    }
    params.push(opts.limit);
    return this.ds.query(
      `SELECT s.id, s.camera_id AS "cameraId", s.start_us AS "startUs", s.end_us AS "endUs", s.bytes
         FROM segments s WHERE ${where.join(' AND ')}
        ORDER BY s.start_us, s.id LIMIT $${params.length}`,
      params,
    );
  }

  async bytesByCamera(): Promise<Map<number, number>> {
    const rows: { cameraId: number; bytes: number }[] = await this.ds.query(
      `SELECT camera_id AS "cameraId", coalesce(sum(bytes), 0)::int8 AS bytes FROM segments GROUP BY camera_id`,
    );
    return new Map(rows.map((r) => [r.cameraId, r.bytes]));
  }

  /**
   * Moves the still-deletable rows among `ids` into the journal in one transaction and returns them.
   * The exports table is locked against new rows meanwhile, so an export created concurrently either
   * protects its segments before this check or is planned after they are gone.
   */
  async journal(ids: number[]): Promise<JournalRow[]> {
    if (!ids.length) return [];
    return this.ds.transaction(async (m) => {
      await m.query(SWEEP_LOCK);
      return m.query(
        `WITH picked AS (
           SELECT s.id FROM segments s WHERE s.id = ANY($1::int8[]) AND ${DELETABLE} FOR UPDATE OF s
         ), gone AS (
           DELETE FROM segments s USING picked p WHERE s.id = p.id RETURNING s.id, s.camera_id, s.path, s.bytes
         )
         INSERT INTO segment_deletions (segment_id, camera_id, path, bytes)
         SELECT id, camera_id, path, bytes FROM gone
         RETURNING segment_id AS "segmentId", camera_id AS "cameraId", path, bytes`,
        [ids],
      );
    });
  }

  /**
   * Deletes motion activity that no footage is left for: each camera's minutes that end at or before
   * its oldest segment (of a camera without segments, those that end before `orphanBeforeUs`).
   * Per camera a primary-key range. Returns the minutes deleted.
   */
  async deleteActivityBeforeFootage(orphanBeforeUs: number): Promise<number> {
    const rows: { n: number }[] = await this.ds.query(
      `WITH oldest AS (
         SELECT c.id AS camera_id, coalesce((SELECT min(s.start_us) FROM segments s WHERE s.camera_id = c.id), $1::int8) AS from_us FROM cameras c
       ), gone AS (
         DELETE FROM motion_activity a USING oldest o
          WHERE a.camera_id = o.camera_id AND a.minute_us <= o.from_us - ${MINUTE_US}
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [orphanBeforeUs],
    );
    return rows[0]?.n ?? 0;
  }

  /** Journal rows left by an interrupted sweep (or this one), oldest first. */
  /**
   * Journal rows whose file lies under `root` (or is relative to it); the others are on another recorder's
   * disk, and that recorder deletes them (apps/recorder/src/cluster/deletion-journal.ts).
   */
  pendingJournal(limit: number, root: string): Promise<JournalRow[]> {
    return this.ds.query(
      `SELECT segment_id AS "segmentId", camera_id AS "cameraId", path, bytes FROM segment_deletions
        WHERE path NOT LIKE '/%' OR path LIKE $2 ORDER BY segment_id LIMIT $1`,
      [limit, `${root.replace(/[\\%_]/g, '\\$&')}/%`],
    );
  }

  async clearJournal(segmentIds: number[]): Promise<void> {
    if (segmentIds.length) await this.ds.query(`DELETE FROM segment_deletions WHERE segment_id = ANY($1::int8[])`, [segmentIds]);
  }
}
