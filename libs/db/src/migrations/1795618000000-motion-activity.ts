import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Motion level per GOP, packed one row per camera and minute (libs/db/src/motion-activity.ts) so that the
 * whole index stays within about 1 KB per camera-minute. The primary key is the recorder's upsert key and
 * the API's range scan; max_level (the highest entry, in the
 * alignment padding after camera_id, so free) lets the API answer whole minutes without unpacking them; rows go with their camera, and retention deletes them by time.
 */
export class MotionActivity1795618000000 implements MigrationInterface {
  name = 'MotionActivity1795618000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE motion_activity (
        camera_id integer  NOT NULL,
        max_level smallint NOT NULL,
        minute_us bigint   NOT NULL,
        entries   bytea   NOT NULL,
        CONSTRAINT motion_activity_pkey PRIMARY KEY (camera_id, minute_us),
        CONSTRAINT motion_activity_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE CASCADE,
        CONSTRAINT motion_activity_minute_check CHECK (minute_us % 60000000 = 0),
        CONSTRAINT motion_activity_entries_check CHECK (length(entries) % 3 = 0),
        CONSTRAINT motion_activity_max_level_check CHECK (max_level BETWEEN 0 AND 100)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE motion_activity`);
  }
}
