import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NOTIFY `cameras_changed` (payload: the camera id) after any insert, update or delete of a camera row,
 * whoever writes it (API, CLI, psql): a running recorder LISTENs and starts or stops that camera without
 * a restart (apps/recorder/src/cameras/camera-sync.ts; it also re-reads the table on a slow poll, so a
 * notification missed while its connection was down is healed).
 */
export class CamerasChanged1795618400000 implements MigrationInterface {
  name = 'CamerasChanged1795618400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cameras_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cameras_changed', COALESCE(NEW.id, OLD.id)::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER cameras_changed_notify AFTER INSERT OR UPDATE OR DELETE ON cameras
        FOR EACH ROW EXECUTE FUNCTION cameras_changed_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER cameras_changed_notify ON cameras`);
    await q.query(`DROP FUNCTION cameras_changed_notify()`);
  }
}
