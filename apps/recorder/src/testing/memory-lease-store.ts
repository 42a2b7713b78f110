// Test-only: the LeaseStore contract held in maps (the SQL itself is tested in lease-store.int-spec.ts).
import type { StoredCamera } from '../index/recorder-store';
import type { CameraLease, ClusterView, LeaseStore } from '../cluster/lease-store';

interface LeaseRow {
  nodeId: string | null;
  epoch: number;
  expiresMs: number;
}

/** Leases and heartbeats as PgLeaseStore keeps them, on `nowMs`; `cameras` says which are enabled. */
export class MemoryLeaseStore implements LeaseStore {
  readonly leases = new Map<number, LeaseRow>();
  readonly heartbeats = new Map<string, number>();
  down = false;

  constructor(
    private readonly cameras: () => readonly StoredCamera[],
    private readonly nowMs: () => number = Date.now,
  ) {}

  private async up(): Promise<void> {
    await Promise.resolve();
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }

  async register(nodeId: string): Promise<void> {
    await this.up();
    this.heartbeats.set(nodeId, this.nowMs());
  }

  async heartbeat(nodeId: string, ttlSeconds: number): Promise<ClusterView> {
    await this.up();
    const now = this.nowMs();
    if (this.heartbeats.has(nodeId)) this.heartbeats.set(nodeId, now); // a deregistered node's beat changes nothing
    const others = [...this.heartbeats].filter(([id, t]) => id !== nodeId && t > now - ttlSeconds * 1000).map(([id]) => id);
    return { liveNodes: others.length + 1, enabledCameras: this.cameras().filter((c) => c.enabled).length, leadNodeId: [...others, nodeId].sort()[0] };
  }

  async renew(nodeId: string, held: readonly CameraLease[], ttlSeconds: number): Promise<number[]> {
    await this.up();
    const ids: number[] = [];
    for (const h of held) {
      const row = this.leases.get(h.cameraId);
      if (row && row.nodeId === nodeId && row.epoch === h.epoch) {
        row.expiresMs = this.nowMs() + ttlSeconds * 1000;
        ids.push(h.cameraId);
      }
    }
    return ids;
  }

  async acquire(nodeId: string, exclude: readonly number[], limit: number, ttlSeconds: number): Promise<CameraLease[]> {
    await this.up();
    const now = this.nowMs();
    const got: CameraLease[] = [];
    for (const c of this.cameras()) {
      if (got.length >= limit) break;
      if (!c.enabled || exclude.includes(c.id)) continue;
      const row = this.leases.get(c.id);
      if (row && row.nodeId !== null && row.expiresMs > now && row.nodeId !== nodeId) continue;
      const epoch = (row?.epoch ?? 0) + 1;
      this.leases.set(c.id, { nodeId, epoch, expiresMs: now + ttlSeconds * 1000 });
      got.push({ cameraId: c.id, nodeId, epoch });
    }
    return got;
  }

  async release(nodeId: string, leases: readonly CameraLease[]): Promise<void> {
    await this.up();
    for (const l of leases) {
      const row = this.leases.get(l.cameraId);
      if (row && row.nodeId === nodeId && row.epoch === l.epoch) Object.assign(row, { nodeId: null, expiresMs: this.nowMs() });
    }
  }

  async deregister(nodeId: string): Promise<void> {
    await this.up();
    this.heartbeats.delete(nodeId);
  }
}
