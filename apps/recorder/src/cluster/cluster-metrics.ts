import type { CameraLeases } from './camera-leases';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** This node's lease families of the recorder's Prometheus endpoint (text format 0.0.4), labelled by node. */
export function renderClusterPrometheus(leases: Pick<CameraLeases, 'nodeId' | 'liveNodes' | 'heldIds' | 'stats'>): string {
  const node = `{node="${esc(leases.nodeId)}"}`;
  const rows: [string, 'gauge' | 'counter', string, number][] = [
    ['wyze_nvr_cluster_live_nodes', 'gauge', 'Recorder nodes with a fresh heartbeat, this one included (at the last beat).', leases.liveNodes],
    ['wyze_nvr_cluster_leases_held', 'gauge', 'Camera leases this node holds.', leases.heldIds.length],
    ['wyze_nvr_cluster_leases_acquired_total', 'counter', 'Camera leases this node took (free, lapsed, or its own from before a restart).', leases.stats.acquired],
    ['wyze_nvr_cluster_leases_released_total', 'counter', 'Camera leases this node gave up after stopping the camera.', leases.stats.released],
    ['wyze_nvr_cluster_leases_lost_total', 'counter', 'Camera leases lost: taken by another node, lapsed unrenewed, or fenced.', leases.stats.lost],
    ['wyze_nvr_cluster_fenced_writes_total', 'counter', 'Index writes the database refused because their lease epoch was stale.', leases.stats.fencedWrites],
  ];
  return rows.map(([name, type, help, v]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${node} ${v}\n`).join('');
}
