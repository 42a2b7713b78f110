// PostgreSQL refuses the recorder for 30 s while it records (ALLOW_CONNECTIONS false + its backends
// terminated): recording to disk goes on, and afterwards every segment file has exactly one row.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { eventually, holdFor, listSegmentFiles, metrics, segmentRows } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';
import { adminDatabaseUrl } from './support/pg';

/** How long PostgreSQL refuses the recorder: the acceptance scenario, not a wait for anything. */
const OUTAGE_MS = 30_000;

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
  const scenario = recorderScenario({ video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });
  scenario.onClose(() => admin(`ALTER DATABASE "${scenario.env.db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined));

  it('keeps recording while PostgreSQL is away and indexes every file exactly once when it returns', async () => {
    const { env } = scenario;
    await scenario.withRecorder({ SEGMENT_SECONDS: '2' }, async ({ metricsUrl }) => {
      await eventually(async () => (await segmentRows(env.ds)).length >= 2, 30_000, 'first segments');
      await env.ds.destroy(); // the test's own connections go too
      const rowsBefore = listSegmentFiles(env.recordings).length;
      await admin(`ALTER DATABASE "${env.db.name}" ALLOW_CONNECTIONS false`);
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${env.db.name}' AND pid <> pg_backend_pid()`);
      const outageStart = Date.now();
      await eventually(async () => (await metrics(metricsUrl)).get('wyze_nvr_index_failing') === 1, 20_000, 'the recorder to notice the outage');
      await holdFor(OUTAGE_MS, outageStart);
      const duringOutage = listSegmentFiles(env.recordings).length;
      assert.ok(duringOutage >= rowsBefore + 10, `files kept coming during the outage (${rowsBefore} → ${duringOutage})`);
      await admin(`ALTER DATABASE "${env.db.name}" ALLOW_CONNECTIONS true`);
      await env.ds.initialize();
      await eventually(async () => {
        const m = await metrics(metricsUrl);
        return m.get('wyze_nvr_index_failing') === 0 && [...m].every(([k, v]) => !k.startsWith('wyze_nvr_camera_index_pending') || v === 0);
      }, 30_000, 'the queued index writes');
    });
    const files = listSegmentFiles(env.recordings);
    const rows = await segmentRows(env.ds);
    assert.deepEqual(rows.map((r) => r.path).sort(), files, 'exactly one row per file');
    assert.ok(rows.every((r) => r.state === 'closed'));
    for (let i = 1; i < rows.length; i++) assert.ok(Math.abs(rows[i].start_us - rows[i - 1].end_us) <= 50_000, `segment ${i} contiguous`);
    const gaps: unknown[] = await env.ds.query(`SELECT * FROM gaps`);
    assert.deepEqual(gaps, [], 'a database outage is not missing footage');
  });
});
