import type { DataSource } from 'typeorm';
import type { LeaseToken } from './stale-lease.error';

/** A lease this node holds on a camera. */
export interface CameraLease extends LeaseToken {
  cameraId: number;
}

/** What a node needs to know to take its fair share: live nodes (itself included) and enabled cameras. */
export interface ClusterView {
  liveNodes: number;
  enabledCameras: number;
  /** The smallest id of the live nodes, this one included: the node that speaks for cameras no node holds (MQTT). */
  leadNodeId: string;
}

/** The lease and node rows in PostgreSQL; every method is one statement. */
export interface LeaseStore {
  /** Inserts or refreshes this node's row (a restart keeps its id). */
  register(nodeId: string, url: string | null, hostname: string): Promise<void>;
  /** Beats this node's heartbeat; the nodes whose heartbeat is younger than `ttlSeconds` and the enabled cameras. */
  heartbeat(nodeId: string, ttlSeconds: number): Promise<ClusterView>;
  /** Extends the leases still held with these epochs; the ids of those extended (a missing one was taken). */
  renew(nodeId: string, held: readonly CameraLease[], ttlSeconds: number): Promise<number[]>;
  /**
   * Takes up to `limit` enabled cameras whose lease is free, expired, or still this node's from a previous
   * process (same node id), other than `exclude`; each taken lease's epoch is one more than before.
   */
  acquire(nodeId: string, exclude: readonly number[], limit: number, ttlSeconds: number): Promise<CameraLease[]>;
  /** Gives these leases up now, each only if still held with its epoch (they are free at once for any node). */
  release(nodeId: string, leases: readonly CameraLease[]): Promise<void>;
  /** Removes this node's row (a clean stop). */
  deregister(nodeId: string): Promise<void>;
}

export class PgLeaseStore implements LeaseStore {
  constructor(private readonly ds: DataSource) {}

  async register(nodeId: string, url: string | null, hostname: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO recorder_nodes (id, url, hostname, started_at, heartbeat_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, hostname = EXCLUDED.hostname, started_at = now(), heartbeat_at = now()`,
      [nodeId, url, hostname],
    );
  }

  async heartbeat(nodeId: string, ttlSeconds: number): Promise<ClusterView> {
    // The UPDATE's new heartbeat is not visible to the counts of the same statement, hence `OR id = $1`.
    const rows: { live: number; enabled: number; lead: string }[] = await this.ds.query(
      `WITH beat AS (UPDATE recorder_nodes SET heartbeat_at = now() WHERE id = $1 RETURNING id),
            others AS (SELECT id FROM recorder_nodes WHERE id <> $1 AND heartbeat_at > now() - make_interval(secs => $2))
       SELECT (SELECT count(*) FROM others)::int + 1 AS live,
              (SELECT count(*) FROM cameras WHERE enabled)::int AS enabled,
              (SELECT min(id) FROM (SELECT id FROM others UNION ALL SELECT $1::text) n) AS lead
         FROM (SELECT count(*) FROM beat) b`,
      [nodeId, ttlSeconds],
    );
    return { liveNodes: rows[0].live, enabledCameras: rows[0].enabled, leadNodeId: rows[0].lead };
  }

  async renew(nodeId: string, held: readonly CameraLease[], ttlSeconds: number): Promise<number[]> {
    if (held.length === 0) return [];
    // Wrapped in a SELECT: TypeORM returns a bare UPDATE … RETURNING as [rows, count].
    const rows: { camera_id: number }[] = await this.ds.query(
      `WITH renewed AS (
         UPDATE camera_leases l SET expires_at = now() + make_interval(secs => $4), updated_at = now()
           FROM unnest($2::int[], $3::bigint[]) AS h(camera_id, epoch)
          WHERE l.camera_id = h.camera_id AND l.epoch = h.epoch AND l.node_id = $1
          RETURNING l.camera_id)
       SELECT camera_id FROM renewed`,
      [nodeId, held.map((h) => h.cameraId), held.map((h) => h.epoch), ttlSeconds],
    );
    return rows.map((r) => r.camera_id);
  }

  async acquire(nodeId: string, exclude: readonly number[], limit: number, ttlSeconds: number): Promise<CameraLease[]> {
    if (limit <= 0) return [];
    // The candidates are read without locks; ON CONFLICT … WHERE re-checks each under its row lock, so of two
    // nodes racing for one camera exactly one gets it (the other's row is skipped, not an error). Random order
    // keeps racing nodes from all reaching for the same cameras first; the rows are written in camera order, so
    // two nodes lock the cameras they share in the same order and wait for each other instead of deadlocking.
    const rows: { camera_id: number; epoch: number }[] = await this.ds.query(
      `WITH candidates AS (
         SELECT c.id FROM cameras c LEFT JOIN camera_leases l ON l.camera_id = c.id
          WHERE c.enabled AND NOT (c.id = ANY($2::int[]))
            AND (l.camera_id IS NULL OR l.node_id IS NULL OR l.expires_at <= now() OR l.node_id = $1)
          ORDER BY random() LIMIT $3)
       INSERT INTO camera_leases (camera_id, node_id, epoch, expires_at, updated_at)
       SELECT id, $1, 1, now() + make_interval(secs => $4), now() FROM candidates ORDER BY id
       ON CONFLICT (camera_id) DO UPDATE SET node_id = EXCLUDED.node_id, epoch = camera_leases.epoch + 1,
         expires_at = EXCLUDED.expires_at, updated_at = now()
         WHERE camera_leases.node_id IS NULL OR camera_leases.expires_at <= now() OR camera_leases.node_id = EXCLUDED.node_id
       RETURNING camera_id, epoch`,
      [nodeId, exclude, limit, ttlSeconds],
    );
    return rows.map((r) => ({ cameraId: r.camera_id, nodeId, epoch: r.epoch }));
  }

  async release(nodeId: string, leases: readonly CameraLease[]): Promise<void> {
    if (leases.length === 0) return;
    await this.ds.query(
      `UPDATE camera_leases l SET node_id = NULL, expires_at = now(), updated_at = now()
         FROM unnest($2::int[], $3::bigint[]) AS h(camera_id, epoch)
        WHERE l.camera_id = h.camera_id AND l.epoch = h.epoch AND l.node_id = $1`,
      [nodeId, leases.map((l) => l.cameraId), leases.map((l) => l.epoch)],
    );
  }

  async deregister(nodeId: string): Promise<void> {
    await this.ds.query(`DELETE FROM recorder_nodes WHERE id = $1`, [nodeId]);
  }
}
