import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the recorder that records a camera serves it: the base URL of its internal HTTP server (live
 * streams, snapshots), written with the status row. The API proxies live viewers there; with several
 * recorders it is how the API finds the one that owns a camera. Null until a recorder with an internal
 * server writes the row.
 */
export class RecorderUrl1795616000000 implements MigrationInterface {
  name = 'RecorderUrl1795616000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE camera_status ADD COLUMN recorder_url text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE camera_status DROP COLUMN recorder_url`);
  }
}
