// PostgreSQL refuses the recorder for 30 s while it records (ALLOW_CONNECTIONS false + its backends
// terminated): recording to disk goes on, and afterwards every segment file has exactly one row.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import {
  emulatedCamera,
  eventually,
  listSegmentFiles,
  metrics,
  recorderEnv,
  recorderTestEnv,
  segmentRows,
  startRecorder,
  type EmulatedCamera,
  type RecorderTestEnv,
} from './support/recorder-harness';
import { adminDatabaseUrl } from './support/pg';

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('recorder: database outage', { timeout: 150_000 }, () => {
  let env: RecorderTestEnv;
  let cam: EmulatedCamera;

  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(env, { video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });
  });
  after(async () => {
    cam?.close();
    await admin(`ALTER DATABASE "${env.db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await env?.close();
  });

  it('keeps recording while PostgreSQL is away and indexes every file exactly once when it returns', async () => {
    const { proc, metricsUrl } = await startRecorder(recorderEnv(env, env.db.url, { SEGMENT_SECONDS: '2' }));
    try {
      await eventually(async () => (await segmentRows(env.ds)).length >= 2, 30_000, 'first segments');
      await env.ds.destroy(); // the test's own connections go too
      const rowsBefore = listSegmentFiles(env.recordings).length;
      await admin(`ALTER DATABASE "${env.db.name}" ALLOW_CONNECTIONS false`);
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${env.db.name}' AND pid <> pg_backend_pid()`);
      const outageStart = Date.now();
      await eventually(async () => (await metrics(metricsUrl)).get('wyze_nvr_index_failing') === 1, 20_000, 'the recorder to notice the outage');
      await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - outageStart))));
      const duringOutage = listSegmentFiles(env.recordings).length;
      assert.ok(duringOutage >= rowsBefore + 10, `files kept coming during the outage (${rowsBefore} → ${duringOutage})`);
      await admin(`ALTER DATABASE "${env.db.name}" ALLOW_CONNECTIONS true`);
      await env.ds.initialize();
      await eventually(async () => {
        const m = await metrics(metricsUrl);
        return m.get('wyze_nvr_index_failing') === 0 && [...m].every(([k, v]) => !k.startsWith('wyze_nvr_camera_index_pending') || v === 0);
      }, 30_000, 'the queued index writes');
    } finally {
      assert.equal(await proc.stop('SIGTERM'), 0, proc.output.slice(-3000));
    }
    const files = listSegmentFiles(env.recordings);
    const rows = await segmentRows(env.ds);
    assert.deepEqual(rows.map((r) => r.path).sort(), files, 'exactly one row per file');
    assert.ok(rows.every((r) => r.state === 'closed'));
    for (let i = 1; i < rows.length; i++) assert.ok(Math.abs(rows[i].start_us - rows[i - 1].end_us) <= 50_000, `segment ${i} contiguous`);
    const gaps: unknown[] = await env.ds.query(`SELECT * FROM gaps`);
    assert.deepEqual(gaps, [], 'a database outage is not missing footage');
  });
});
