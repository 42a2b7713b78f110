import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key for motion events, so the recorder can replay its pending event writes after a database outage
 * without creating a second row (upsert on camera + kind + start; a camera has one event at a time).
 */
export class EventKey1795615000000 implements MigrationInterface {
  name = 'EventKey1795615000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX events_camera_kind_start_key ON events (camera_id, kind, start_us)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_camera_kind_start_key`);
  }
}
