// Several `wyze-nvr record` processes on one database, each with its own node id, DATA_DIR and
// RECORDINGS_DIR (what two machines would have), for the cluster e2e specs.
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { listSegmentFiles, metrics, metricSum, recorderEnv, startRecorder, type RecorderTestEnv } from './recorder-harness';
import type { CliProcess } from './cli';

export interface RecorderNode {
  name: string;
  proc: CliProcess;
  metricsUrl: string;
  recordings: string;
}

/** Starts node `name` (RECORDER_NODE_ID) with `settings` over the test defaults; resolves once it runs. */
export async function startNode(env: RecorderTestEnv, name: string, settings: Record<string, string> = {}): Promise<RecorderNode> {
  const recordings = join(env.dir, name, 'recordings');
  const { proc, metricsUrl } = await startRecorder(
    recorderEnv(env, env.db.url, { DATA_DIR: join(env.dir, name, 'data'), RECORDINGS_DIR: recordings, RECORDER_NODE_ID: name, ...settings }),
  );
  return { name, proc, metricsUrl, recordings };
}

/** A node's cluster metric (wyze_nvr_cluster_*). */
export async function clusterMetric(node: RecorderNode, name: string): Promise<number> {
  return metricSum(await metrics(node.metricsUrl), `wyze_nvr_cluster_${name}`, { node: node.name });
}

/** The cameras each node holds a live lease on, by node id. */
export async function owners(ds: DataSource): Promise<Map<number, string>> {
  const rows: { camera_id: number; node_id: string }[] = await ds.query(`SELECT camera_id, node_id FROM camera_leases WHERE node_id IS NOT NULL AND expires_at > now()`);
  return new Map(rows.map((r) => [r.camera_id, r.node_id]));
}

/** Every segment file under every node's recordings, sorted. */
export function clusterSegmentFiles(nodes: readonly { recordings: string }[]): string[] {
  return [...new Set(nodes.map((n) => n.recordings))].flatMap((d) => listSegmentFiles(d)).sort();
}
