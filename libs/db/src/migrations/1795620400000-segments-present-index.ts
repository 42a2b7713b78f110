import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The present segments (not `missing`) of each camera in start order, with their end: the all-cameras
 * coverage (GET /coverage) reads each camera's window from it as an index-only range scan already in the
 * order its merge needs, instead of sorting all cameras' rows of the window (57,600 for a day of 40 cameras,
 * a sort that spilled to disk).
 */
export class SegmentsPresentIndex1795620400000 implements MigrationInterface {
  name = 'SegmentsPresentIndex1795620400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX segments_present_camera_start_idx ON segments (camera_id, start_us) INCLUDE (end_us) WHERE state <> 'missing'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX segments_present_camera_start_idx`);
  }
}
