import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention journal. A sweep moves a batch of segment rows here in one transaction (the segment
 * row is deleted, its path kept here), then deletes the files, then these rows. If the process dies
 * in between, every file on disk is still named by a segments row or by a row here, and no segments
 * row names a deleted file; the next sweep finishes the rows found here first.
 */
export class SegmentDeletions1795614232452 implements MigrationInterface {
  name = 'SegmentDeletions1795614232452';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE segment_deletions (
        segment_id bigint NOT NULL,
        camera_id  integer NOT NULL,
        path       text NOT NULL,
        bytes      bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT segment_deletions_pkey PRIMARY KEY (segment_id),
        CONSTRAINT segment_deletions_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE RESTRICT
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segment_deletions`);
  }
}
