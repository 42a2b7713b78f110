import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recorder's live status per camera (written every few seconds, read by the API in another process),
 * and a key for gaps so the recorder can replay its pending gap writes after a database outage without
 * creating a second row (upsert on camera + start).
 */
export class RecorderStatus1795614246296 implements MigrationInterface {
  name = 'RecorderStatus1795614246296';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE camera_status (
        camera_id     integer NOT NULL,
        state         text NOT NULL,
        last_frame_us bigint,
        frames        bigint NOT NULL DEFAULT 0,
        bytes         bigint NOT NULL DEFAULT 0,
        reconnects    integer NOT NULL DEFAULT 0,
        last_error    text,
        recorder      text,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT camera_status_pkey PRIMARY KEY (camera_id),
        CONSTRAINT camera_status_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX gaps_camera_start_key ON gaps (camera_id, start_us)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX gaps_camera_start_key`);
    await q.query(`DROP TABLE camera_status`);
  }
}
