import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

/** A recorder node row, with the cameras it holds a live lease on. */
export interface RecorderNodeRow {
  id: string;
  url: string | null;
  hostname: string;
  startedAtUs: number;
  heartbeatAtUs: number;
  cameraIds: number[];
}

/** The owner of a camera: the node holding its live lease. */
export interface CameraOwnerRow {
  cameraId: number;
  nodeId: string;
  epoch: number;
  expiresAtUs: number;
}

/** The recorder nodes and camera leases (written by the recorders, read here). */
@Injectable()
export class ClusterRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  async nodes(): Promise<RecorderNodeRow[]> {
    const rows: { id: string; url: string | null; hostname: string; started_us: number; heartbeat_us: number; camera_ids: number[] }[] = await this.ds.query(
      `SELECT n.id, n.url, n.hostname,
              (extract(epoch FROM n.started_at) * 1000000)::bigint AS started_us,
              (extract(epoch FROM n.heartbeat_at) * 1000000)::bigint AS heartbeat_us,
              coalesce(array_agg(l.camera_id ORDER BY l.camera_id) FILTER (WHERE l.camera_id IS NOT NULL), '{}')::int[] AS camera_ids
         FROM recorder_nodes n LEFT JOIN camera_leases l ON l.node_id = n.id AND l.expires_at > now()
        GROUP BY n.id ORDER BY n.id`,
    );
    return rows.map((r) => ({ id: r.id, url: r.url, hostname: r.hostname, startedAtUs: r.started_us, heartbeatAtUs: r.heartbeat_us, cameraIds: r.camera_ids }));
  }

  /** The internal URL of a recorder node, when it registered one. */
  async nodeUrl(nodeId: string): Promise<string | undefined> {
    const rows: { url: string | null }[] = await this.ds.query(`SELECT url FROM recorder_nodes WHERE id = $1`, [nodeId]);
    return rows[0]?.url ?? undefined;
  }

  async owners(cameraIds: readonly number[]): Promise<Map<number, CameraOwnerRow>> {
    if (!cameraIds.length) return new Map();
    const rows: { camera_id: number; node_id: string; epoch: number; expires_us: number }[] = await this.ds.query(
      `SELECT camera_id, node_id, epoch, (extract(epoch FROM expires_at) * 1000000)::bigint AS expires_us
         FROM camera_leases WHERE camera_id = ANY($1::int[]) AND node_id IS NOT NULL AND expires_at > now()`,
      [cameraIds],
    );
    return new Map(rows.map((r) => [r.camera_id, { cameraId: r.camera_id, nodeId: r.node_id, epoch: r.epoch, expiresAtUs: r.expires_us }]));
  }
}
