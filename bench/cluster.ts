// bench:cluster — several `wyze-nvr record` nodes on one database sharing N emulated 2K cameras (motion off:
// the figures are recording plus ownership). With 1, 2 and 3 nodes: cameras per node and the nodes' CPU per
// camera-second; then takeover time over K kills: kill -9 the node with the most cameras, time from the kill
// until every camera it had shows footage from another node (the new segment's start), restart it, wait
// until balanced, again.
//   npm run bench:cluster -- --cameras 6 --seconds 20 --kills 10 [--ttl 10]
// Needs PostgreSQL (TEST_DATABASE_URL or postgres@127.0.0.1).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePrometheus } from '../apps/recorder/src/metrics/prometheus';
import { CliProcess } from '../test/support/cli';
import { openBenchSetup } from './support/bench-setup';
import { runEmulatorFleet, spawnEmulatorFleet } from './support/emulator-fleet';
import { totalCpuMs } from './support/proc-stats';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '20' },
    kills: { type: 'string', default: '10' },
    ttl: { type: 'string', default: '10' },
    role: { type: 'string' },
    video: { type: 'string' },
    audio: { type: 'string' },
  },
});
const CAMERAS = Number(values.cameras);
const SECONDS = Number(values.seconds);
const KILLS = Number(values.kills);

interface Node {
  name: string;
  proc: CliProcess;
  metricsUrl: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main(): Promise<void> {
  const setup = await openBenchSetup('cluster');
  const { media, ds, db, dir, secret, box } = setup;
  const fleet = await spawnEmulatorFleet([__filename, '--role', 'emulators', '--cameras', String(CAMERAS), '--video', media.video, '--audio', media.audio!]);
  for (const [i, c] of fleet.credentials.entries()) {
    await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, 'HL_CAM4')`, [`bench ${i}`, c.uid, box.encrypt(c.enr), c.mac, c.port]);
  }
  const start = async (name: string): Promise<Node> => {
    const proc = new CliProcess(['record'], {
      DATABASE_URL: db.url,
      DATA_DIR: join(dir, name, 'data'),
      RECORDINGS_DIR: join(dir, name, 'recordings'),
      SECRET_KEY: secret.toString('hex'),
      LOG_LEVEL: 'info',
      RECORDER_METRICS_PORT: '0',
      RECORDER_NODE_ID: name,
      RECORDER_LEASE_TTL_SECONDS: values.ttl,
      RECORDER_MOTION: 'off',
    });
    const m = await proc.waitFor(/metrics at (http:\/\/\S+\/metrics)/, 120_000);
    return { name, proc, metricsUrl: m[1] };
  };
  const recording = async (n: Node) => {
    const m = parsePrometheus(await (await fetch(n.metricsUrl)).text());
    return [...m].filter(([k]) => k.startsWith('wyze_nvr_camera_state{') && k.includes('state="recording"')).reduce((s, [, v]) => s + v, 0);
  };
  const owned = async (): Promise<Map<string, number[]>> => {
    const rows: { camera_id: number; node_id: string }[] = await ds.query(`SELECT camera_id, node_id FROM camera_leases WHERE node_id IS NOT NULL AND expires_at > now()`);
    const out = new Map<string, number[]>();
    for (const r of rows) out.set(r.node_id, [...(out.get(r.node_id) ?? []), r.camera_id]);
    return out;
  };
  const balanced = async (nodes: Node[]) => {
    const o = await owned();
    const counts = nodes.map((n) => o.get(n.name)?.length ?? 0);
    const rec = await Promise.all(nodes.map(recording));
    return counts.reduce((a, b) => a + b, 0) === CAMERAS && Math.max(...counts) - Math.min(...counts) <= 1 && rec.reduce((a, b) => a + b, 0) === CAMERAS && counts;
  };

  const scaling: { nodes: number; camerasPerNode: number[]; cpuMsPerCameraSecond: number; cpuCoresPerNode: number[] }[] = [];
  for (const k of [1, 2, 3]) {
    const nodes: Node[] = [];
    for (let i = 0; i < k; i++) nodes.push(await start(`scale${k}-${i}`));
    const counts = await until(`${k} node(s) balanced and recording`, 120_000, () => balanced(nodes));
    await sleep(3000);
    const cpu0 = nodes.map((n) => totalCpuMs(n.proc.child.pid!));
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const cpu = nodes.map((n, i) => totalCpuMs(n.proc.child.pid!) - cpu0[i]);
    const wall = (performance.now() - t0) / 1000;
    const total = cpu.reduce((a, b) => a + b, 0);
    scaling.push({ nodes: k, camerasPerNode: counts, cpuMsPerCameraSecond: Number((total / (CAMERAS * wall)).toFixed(3)), cpuCoresPerNode: cpu.map((ms) => Number((ms / 1000 / wall).toFixed(3))) });
    for (const n of nodes) await n.proc.stop('SIGTERM');
  }

  const names = ['kill-a', 'kill-b', 'kill-c'];
  const nodes = new Map<string, Node>();
  for (const n of names) nodes.set(n, await start(n));
  await until('3 nodes balanced', 120_000, () => balanced([...nodes.values()]));
  const takeovers: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const o = await owned();
    const victim = [...nodes.values()].sort((a, b) => (o.get(b.name)?.length ?? 0) - (o.get(a.name)?.length ?? 0))[0];
    const lost = o.get(victim.name) ?? [];
    victim.proc.child.kill('SIGKILL');
    const killedUs = Date.now() * 1000;
    await victim.proc.exited;
    const resumed = await until(`kill ${kill + 1}: its cameras recorded elsewhere`, 60_000, async () => {
      const rows: { camera_id: number; first: number }[] = await ds.query(
        `SELECT camera_id, min(start_us) AS first FROM segments WHERE camera_id = ANY($1::int[]) AND node_id <> $2 AND start_us > $3 GROUP BY camera_id`,
        [lost, victim.name, killedUs],
      );
      return rows.length === lost.length && rows;
    });
    const seconds = (Math.max(...resumed.map((r) => r.first)) - killedUs) / 1e6;
    takeovers.push(Number(seconds.toFixed(2)));
    console.error(`kill ${kill + 1}/${KILLS}: ${victim.name} (${lost.length} cameras) → footage resumed elsewhere after ${seconds.toFixed(2)} s`);
    nodes.set(victim.name, await start(victim.name));
    await until('rebalanced', 120_000, () => balanced([...nodes.values()]));
  }
  for (const n of nodes.values()) await n.proc.stop('SIGTERM');
  await fleet.stop();

  const result = {
    cameras: CAMERAS,
    leaseTtlSeconds: Number(values.ttl),
    scaling,
    takeoverSeconds: { kills: takeovers.length, p50: p50(takeovers), max: Math.max(...takeovers), all: takeovers },
  };
  console.log(JSON.stringify(result, null, 2));
  for (const s of scaling) console.log(`${s.nodes} node(s): cameras per node ${s.camerasPerNode.join('/')}, ${s.cpuMsPerCameraSecond} ms CPU per camera-second (cores per node ${s.cpuCoresPerNode.join(', ')})`);
  console.log(`takeover after kill -9 (TTL ${values.ttl} s), ${takeovers.length} kills: p50 ${result.takeoverSeconds.p50} s, max ${result.takeoverSeconds.max} s`);
  await setup.close();
}

if (values.role === 'emulators') void runEmulatorFleet({ cameras: CAMERAS, video: values.video!, audio: values.audio });
else
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
