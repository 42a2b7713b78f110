import { Inject, Injectable } from '@nestjs/common';
import { GapEntity, intervalsOverlap, isNonEmptyWindow, overlapCondition, SegmentEntity, windowOverlapCondition } from '@wyze-nvr/db';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

export interface SpanRow {
  startUs: number;
  endUs: number;
}

export interface CameraUsageRow {
  cameraId: number;
  segments: number;
  bytes: number;
  oldestUs: number | null;
  newestUs: number | null;
}

/** Segment and gap reads. Every time-range query goes through the GiST overlap predicate (libs/db README). */
@Injectable()
export class RecordingRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  /** Segments overlapping [fromUs, toUs), oldest first; every one (no paging) for playback and exports. */
  overlapping(cameraId: number, fromUs: number, toUs: number): Promise<SegmentEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.overlappingQuery(SegmentEntity, 's', cameraId, fromUs, toUs).getMany();
  }

  /** One page of overlapping segments after the sort key (startUs, id). */
  overlappingPage(cameraId: number, fromUs: number, toUs: number, after: [number, number] | undefined, limit: number): Promise<SegmentEntity[]> {
    const qb = this.overlappingQuery(SegmentEntity, 's', cameraId, fromUs, toUs).limit(limit);
    if (after) qb.andWhere('(s.start_us, s.id) > (:afterStart, :afterId)', { afterStart: after[0], afterId: after[1] });
    return qb.getMany();
  }

  /** Only the spans (for coverage), oldest first. */
  async spans(cameraId: number, fromUs: number, toUs: number): Promise<SpanRow[]> {
    if (toUs <= fromUs) return [];
    const rows = await this.ds
      .createQueryBuilder(SegmentEntity, 's')
      .select(['s.start_us AS "startUs"', 's.end_us AS "endUs"'])
      .where(overlapCondition('s'), { cameraId, fromUs, toUs })
      .andWhere(`s.state <> 'missing'`)
      .orderBy('s.start_us', 'ASC')
      .getRawMany<SpanRow>();
    return rows;
  }

  /**
   * Every camera's recorded spans overlapping [fromUs, toUs), merged in SQL (segments that touch or overlap
   * within `toleranceUs` are one span), by camera then start. Not clipped.
   * Per camera, its window is an index-only range scan of segments_present_camera_start_idx, already in start
   * order (no sort of all cameras' rows): the segments starting in the window, and from the earliest one that
   * straddles `fromUs` (found by the GiST index). A segment starts an island when it begins more than the
   * tolerance after every earlier one has ended; an island ends where the running maximum of the ends stands
   * before the next island's start (or at the camera's last end). Ties in start order cannot change that.
   */
  async spansOfCameras(fromUs: number, toUs: number, toleranceUs: number): Promise<(SpanRow & { cameraId: number })[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return [];
    const straddlerStart = `SELECT min(x.start_us) FROM segments x
      WHERE x.camera_id = c.id AND ${intervalsOverlap(['x.start_us', 'x.end_us'], ['CAST($1 AS int8)', 'CAST($1 AS int8) + 1'])} AND x.state <> 'missing'`;
    // The row comparisons can only be answered by a (camera_id, start_us) btree; their row estimate is
    // coarse, which put the plan's cost past jit_above_cost: compiling it took longer (~50 ms) than running it.
    const islands = `SELECT c.id AS "cameraId", i.start_us AS "startUs", i.end_us AS "endUs"
       FROM cameras c CROSS JOIN LATERAL (
         SELECT start_us, coalesce(lead(prev_end) OVER (ORDER BY start_us), last_end) AS end_us FROM (
           SELECT s.start_us,
                  max(s.end_us) OVER (ORDER BY s.start_us ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end,
                  max(s.end_us) OVER () AS last_end
           FROM segments s
           WHERE (s.camera_id, s.start_us) >= (c.id, coalesce((${straddlerStart}), CAST($1 AS int8))) AND (s.camera_id, s.start_us) < (c.id, CAST($2 AS int8))
             AND s.state <> 'missing' AND s.end_us > CAST($1 AS int8) AND s.end_us > s.start_us
         ) a
         WHERE prev_end IS NULL OR start_us > prev_end + $3
       ) i
       ORDER BY 1, 2`;
    const rows = await this.ds.transaction(async (m) => {
      await m.query('SET LOCAL jit = off');
      return m.query(islands, [fromUs, toUs, toleranceUs]);
    });
    return (rows as { cameraId: number; startUs: string; endUs: string }[]).map((r) => ({ cameraId: Number(r.cameraId), startUs: Number(r.startUs), endUs: Number(r.endUs) }));
  }

  /** Every camera's gaps overlapping [fromUs, toUs), by camera then start. */
  gapsOfCameras(fromUs: number, toUs: number): Promise<GapEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.ds.createQueryBuilder(GapEntity, 'g').where(windowOverlapCondition('g'), { fromUs, toUs }).orderBy('g.camera_id', 'ASC').addOrderBy('g.start_us', 'ASC').getMany();
  }

  /** Gaps overlapping [fromUs, toUs), oldest first; an open gap overlaps everything after its start. */
  gaps(cameraId: number, fromUs: number, toUs: number): Promise<GapEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.overlappingQuery(GapEntity, 'g', cameraId, fromUs, toUs).getMany();
  }

  segment(id: number): Promise<SegmentEntity | null> {
    return this.ds.getRepository(SegmentEntity).findOneBy({ id });
  }

  /** The newest segment of each camera (segments_camera_id_start_us_idx). */
  async latestSegments(cameraIds: number[]): Promise<Map<number, SegmentEntity>> {
    if (!cameraIds.length) return new Map();
    // One statement for all cameras (a camera list of 40 was 40 round trips): per camera, the newest row by the index.
    const rows = await this.ds
      .createQueryBuilder(SegmentEntity, 's')
      .where(
        `s.id IN (SELECT (SELECT l.id FROM segments l WHERE l.camera_id = c.id ORDER BY l.start_us DESC, l.id DESC LIMIT 1) FROM unnest(CAST(:ids AS int[])) AS c(id))`,
        { ids: cameraIds },
      )
      .getMany();
    return new Map(rows.map((s) => [s.cameraId, s]));
  }

  async openGaps(cameraIds: number[]): Promise<Map<number, GapEntity>> {
    if (!cameraIds.length) return new Map();
    const rows = await this.ds.createQueryBuilder(GapEntity, 'g').where('g.camera_id IN (:...ids) AND g.end_us IS NULL', { ids: cameraIds }).getMany();
    return new Map(rows.map((g) => [g.cameraId, g]));
  }

  async usage(): Promise<CameraUsageRow[]> {
    return this.ds.query(
      `SELECT c.id AS "cameraId", count(s.id)::int8 AS "segments", coalesce(sum(s.bytes), 0)::int8 AS "bytes",
              min(s.start_us) AS "oldestUs", max(s.end_us) AS "newestUs"
         FROM cameras c LEFT JOIN segments s ON s.camera_id = c.id
        GROUP BY c.id ORDER BY c.id`,
    );
  }

  /** Bytes of segments that started at or after `sinceUs`, per camera (the recent recording rate). */
  async bytesSince(sinceUs: number): Promise<Map<number, { bytes: number; spanUs: number }>> {
    const rows: { cameraId: number; bytes: number; firstUs: number; lastUs: number }[] = await this.ds.query(
      `SELECT camera_id AS "cameraId", coalesce(sum(bytes), 0)::int8 AS "bytes", min(start_us) AS "firstUs", max(end_us) AS "lastUs"
         FROM segments WHERE start_us >= $1 GROUP BY camera_id`,
      [sinceUs],
    );
    return new Map(rows.map((r) => [r.cameraId, { bytes: r.bytes, spanUs: Math.max(0, r.lastUs - r.firstUs) }]));
  }

  /** Rows of one camera overlapping [fromUs, toUs) in (start_us, id) order, the order the API pages by. */
  private overlappingQuery<T extends SegmentEntity | GapEntity>(
    entity: new () => T,
    alias: string,
    cameraId: number,
    fromUs: number,
    toUs: number,
  ): SelectQueryBuilder<T> {
    return this.ds
      .createQueryBuilder(entity, alias)
      .where(overlapCondition(alias), { cameraId, fromUs, toUs })
      .orderBy(`${alias}.start_us`, 'ASC')
      .addOrderBy(`${alias}.id`, 'ASC');
  }
}
