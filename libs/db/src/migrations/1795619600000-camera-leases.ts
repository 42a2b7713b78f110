import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SQLSTATE of a write refused by the lease fence (a custom code: class "WN", not used by PostgreSQL). */
export const STALE_LEASE_SQLSTATE = 'WN409';

/**
 * Several recorders on one database. `recorder_nodes`: one row per recorder process (RECORDER_NODE_ID),
 * its internal URL and a heartbeat. `camera_leases`: which node owns each camera, until `expires_at`;
 * `epoch` (the fencing token) grows by one at every change of owner and never goes back; `node_id` is null
 * once the owner released it.
 *
 * Segments, gaps and events written under a lease carry `node_id` and `epoch`, and the fence trigger refuses
 * the write (SQLSTATE WN409) unless that node still holds the camera's lease with that epoch. The row lock
 * (FOR SHARE) orders the check against a concurrent takeover, which bumps the epoch under a row lock too.
 * Expiry alone does not refuse a write: only a takeover does (a lapsed lease nobody took is still the
 * writer's, so a lone recorder keeps indexing after a database outage longer than the TTL).
 * Rows written without an epoch (API, CLI, reconcile) are not fenced; an UPDATE is fenced only when it sets
 * `epoch` (the recorder's upserts always do; the API marking an event protected does not).
 */
export class CameraLeases1795619600000 implements MigrationInterface {
  name = 'CameraLeases1795619600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recorder_nodes (
        id           text NOT NULL,
        url          text,
        hostname     text NOT NULL,
        started_at   timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT recorder_nodes_pkey PRIMARY KEY (id)
      )`);
    await q.query(`
      CREATE TABLE camera_leases (
        camera_id  integer NOT NULL,
        node_id    text,
        epoch      bigint NOT NULL,
        expires_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT camera_leases_pkey PRIMARY KEY (camera_id),
        CONSTRAINT camera_leases_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE CASCADE,
        CONSTRAINT camera_leases_epoch_check CHECK (epoch > 0)
      )`);
    await q.query(`CREATE INDEX camera_leases_node_id_idx ON camera_leases (node_id)`);
    for (const table of ['segments', 'gaps', 'events']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN node_id text, ADD COLUMN epoch bigint`);
    }
    await q.query(`
      CREATE FUNCTION camera_lease_fence() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.epoch IS NULL THEN
          RETURN NEW;
        END IF;
        PERFORM 1 FROM camera_leases l
          WHERE l.camera_id = NEW.camera_id AND l.node_id = NEW.node_id AND l.epoch = NEW.epoch
          FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'stale lease: node % does not hold camera % at epoch %', NEW.node_id, NEW.camera_id, NEW.epoch
            USING ERRCODE = '${STALE_LEASE_SQLSTATE}';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['segments', 'gaps', 'events']) {
      await q.query(`CREATE TRIGGER ${table}_lease_fence BEFORE INSERT OR UPDATE OF epoch ON ${table} FOR EACH ROW EXECUTE FUNCTION camera_lease_fence()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['segments', 'gaps', 'events']) {
      await q.query(`DROP TRIGGER ${table}_lease_fence ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN node_id, DROP COLUMN epoch`);
    }
    await q.query(`DROP FUNCTION camera_lease_fence()`);
    await q.query(`DROP TABLE camera_leases`);
    await q.query(`DROP TABLE recorder_nodes`);
  }
}
