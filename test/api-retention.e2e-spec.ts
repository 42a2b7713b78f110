// Retention over real HTTP, PostgreSQL and Redis: by age and by size (footage recorded by `wyze-nvr record`
// from two emulated cameras), protected events and pending exports kept, the free-space floor (the volume's
// free space injected through MediaFileRepository), a sweep that fails mid-way in process and one whose
// `wyze-nvr api` process is SIGKILLed mid-sweep, each re-run to a consistent state. Storage usage.
//
// Footage: cameras a and b are recorded (15 two-second segments each, one GOP per file, absolute paths in
// the rows as the recorder writes them). The in-process crash, the floor and the killed process use the
// direct writer (writeRecording): segments of exact ages the test chooses, and for the floor, older than
// everything else so that "the oldest go first" is across cameras.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createDataSource, EventEntity, ExportEntity, runMigrations } from '@wyze-nvr/db';
import { expectEventually } from '@wyze-nvr/jobs/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { MediaFileRepository } from '../apps/api/src/repositories/media-file.repository';
import { RetentionService } from '../apps/api/src/retention/retention.service';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { recordFromEmulator, writeRecording, type EmulatedRecording } from './support/api-recordings';
import { CliProcess, freePort } from './support/cli';
import { createTestDatabase } from './support/pg';

const S = 1_000_000;
let api: TestApi;
let recA: EmulatedRecording;
let recB: EmulatedRecording;
/** The API's clock: an hour after the end of camera a's fifth segment, plus half a second. */
let NOW_MS: number;
/** An hour before NOW: where the direct-writer tests put their footage. */
let T0: number;

before(async () => {
  const footage = await recordFromEmulator({ cameras: 2, mediaSeconds: 30, segmentSeconds: 2, speed: 6 });
  [recA, recB] = footage.cameras;
  NOW_MS = Math.ceil(recA.segments[4].row.endUs / 1000) + 500 + 3600_000;
  T0 = NOW_MS * 1000 - 3600 * S;
  api = await startTestApi({ redis: true, now: () => NOW_MS, existing: footage });
});
after(async () => api?.close());

/** A segment path as stored (relative, or absolute as the recorder writes it) → relative to the recordings root. */
const rel = (root: string, p: string) => relative(root, resolve(root, p));

function files(root: string, cameraId: number): string[] {
  const dir = join(root, String(cameraId));
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(dir);
  return out.sort();
}

async function rowPaths(ds: DataSource | Client, root: string, cameraId: number): Promise<string[]> {
  const q = `SELECT path FROM segments WHERE camera_id = $1 ORDER BY path`;
  const rows: { path: string }[] = ds instanceof Client ? (await ds.query(q, [cameraId])).rows : await ds.query(q, [cameraId]);
  return rows.map((r) => rel(root, r.path)).sort();
}

type SweepResult = { bytesFreed: number; segmentsDeleted: number; resumed: number; byReason: { age: number; size: number; freeSpace: number } };

async function runSweep(base: { request: TestApi['request'] } = api): Promise<SweepResult> {
  const res = await base.request('POST', '/retention/run');
  const r = (await res.json()) as { jobId: string };
  assert.equal(res.status, 202);
  assert.match(r.jobId, /^retention:\d+$/);
  const job = await expectEventually(async () => {
    const j = (await (await base.request('GET', `/jobs/${r.jobId}`)).json()) as { state: string; result: SweepResult; error: string | null };
    assert.ok(['completed', 'failed'].includes(j.state), j.state);
    return j;
  });
  assert.equal(job.state, 'completed', job.error ?? '');
  return job.result;
}

const pathsOf = (root: string, segs: { row: { path: string } }[], idx: number[]) => idx.map((i) => rel(root, segs[i].row.path)).sort();
const sum = (segs: { row: { bytes: number } }[], idx: number[]) => idx.reduce((n, i) => n + segs[i].row.bytes, 0);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('retention', () => {
  test('by age and by size it deletes exactly the oldest unprotected recorded segments, files and rows, and reports bytes freed', async () => {
    const root = api.recordingsDir;
    const a = recA.cameraId;
    const b = recB.cameraId;
    const segA = recA.segments;
    const segB = recB.segments;
    assert.equal(segA.length, 15);
    assert.equal(segB.length, 15);
    assert.ok(segA.every((s) => s.row.path.startsWith(root + '/')), 'the recorder stores absolute paths under RECORDINGS_DIR');
    // Camera a: with a 1 h limit, footage ending at or before NOW − 1 h (half a second after segment 4 ends)
    // is too old: segments 0..4. Segment 1 holds a protected event (pre-roll included), segment 3 is in a
    // queued export: 0, 2, 4 go.
    const at = (i: number, s: number) => segA[i].row.startUs + s * S;
    await api.ds.getRepository(EventEntity).insert({ cameraId: a, startUs: at(1, 1), endUs: at(1, 1.2), preRollUs: 0.5 * S, protected: true });
    await api.ds.getRepository(EventEntity).insert({ cameraId: a, startUs: at(4, 0.5), endUs: at(4, 0.6), protected: false });
    await api.ds.getRepository(ExportEntity).insert({ cameraId: a, fromUs: at(3, 0.5), toUs: at(3, 1), state: 'queued' });
    assert.equal((await api.json('PUT', `/cameras/${a}/retention`, { maxAgeSeconds: 3600 })).status, 200);
    // Camera b: one byte under "all but segment 0" → segments 0 and 1 go.
    const totalB = sum(segB, range(0, 15));
    assert.equal((await api.json('PUT', `/cameras/${b}/retention`, { maxBytes: totalB - segB[0].row.bytes - 1 })).status, 200);
    const policies = await api.json<{ cameras: { cameraId: number; maxAgeSeconds: number | null; maxBytes: number | null }[] }>('GET', '/retention/policies');
    assert.deepEqual(policies.body.cameras.map((p) => p.cameraId).sort(), [a, b]);

    const result = await runSweep();
    assert.equal(result.segmentsDeleted, 5);
    assert.deepEqual(result.byReason, { age: 3, size: 2, freeSpace: 0 });
    assert.equal(result.bytesFreed, sum(segA, [0, 2, 4]) + sum(segB, [0, 1]));
    const keptA = [1, 3, ...range(5, 15)];
    assert.deepEqual(await rowPaths(api.ds, root, a), pathsOf(root, segA, keptA));
    assert.deepEqual(files(root, a), pathsOf(root, segA, keptA));
    assert.deepEqual(await rowPaths(api.ds, root, b), pathsOf(root, segB, range(2, 15)));
    assert.deepEqual(files(root, b), pathsOf(root, segB, range(2, 15)));
    assert.deepEqual(await api.ds.query(`SELECT * FROM segment_deletions`), []);

    const storage = await api.json<{ cameras: { cameraId: number; bytes: number; segments: number; estimatedDaysKept: number | null; limitedBy: string | null }[] }>('GET', '/storage');
    const sa = storage.body.cameras.find((c) => c.cameraId === a)!;
    assert.equal(sa.bytes, sum(segA, keptA));
    assert.equal(sa.segments, keptA.length);
    assert.equal(sa.limitedBy, 'maxAge');

    // A second sweep finds nothing more to do.
    assert.equal((await runSweep()).segmentsDeleted, 0);
  });

  test('a sweep that dies mid-way leaves no orphan file and no dangling row; the re-run finishes the job', async () => {
    const root = api.recordingsDir;
    const c = (await addCamera(api.ds, 3)).id;
    const segC = await writeRecording(api.ds, root, c, { startUs: T0, segments: 6, framesEach: 40 });
    assert.equal((await api.json('PUT', `/cameras/${c}/retention`, { maxAgeSeconds: 60 })).status, 200);

    // The process "dies" after removing two files: the third unlink throws and nothing after it runs.
    const repo = api.app.get(MediaFileRepository);
    const original = repo.remove.bind(repo);
    let removed = 0;
    repo.remove = async (abs: string) => {
      if (removed === 2) throw new Error('simulated crash');
      removed++;
      return original(abs);
    };
    try {
      await assert.rejects(api.app.get(RetentionService).sweep(), /simulated crash/);
    } finally {
      repo.remove = original;
    }
    const journal: { path: string }[] = await api.ds.query(`SELECT path FROM segment_deletions WHERE camera_id = $1`, [c]);
    assert.ok(journal.length > 0, 'the interrupted batch is in the journal');
    // No dangling row: every segments row still has its file.
    for (const p of await rowPaths(api.ds, root, c)) assert.ok(existsSync(join(root, p)), `row ${p} has its file`);
    // No orphan file: every file left is named by a segments row or the journal.
    const named = new Set([...(await rowPaths(api.ds, root, c)), ...journal.map((j) => rel(root, j.path))]);
    for (const f of files(root, c)) assert.ok(named.has(f), `file ${f} is accounted for`);
    assert.equal(files(root, c).length, segC.length - 2);

    const result = await runSweep();
    assert.ok(result.resumed >= journal.length);
    assert.deepEqual(await rowPaths(api.ds, root, c), []);
    assert.deepEqual(files(root, c), []);
    assert.deepEqual(await api.ds.query(`SELECT * FROM segment_deletions`), []);
  });

  test('below the free-space floor the oldest unprotected segments of any camera go, just until the floor is met', async () => {
    const root = api.recordingsDir;
    const f = (await addCamera(api.ds, 4)).id;
    // A day older than anything else here; segment 1 holds a protected event.
    const segF = await writeRecording(api.ds, root, f, { startUs: T0 - 24 * 3600 * S, segments: 6, framesEach: 40 });
    await api.ds.getRepository(EventEntity).insert({ cameraId: f, startUs: segF[1].row.startUs + S, endUs: segF[1].row.startUs + 1.1 * S, protected: true });
    const before = { a: await rowPaths(api.ds, root, recA.cameraId), b: await rowPaths(api.ds, root, recB.cameraId) };

    // The volume: 1 GB minus the recordings on it, so deleting a file frees exactly its size.
    const onDisk = () => [recA.cameraId, recB.cameraId, f].flatMap((id) => files(root, id)).reduce((n, p) => n + statSync(join(root, p)).size, 0);
    const FREE0 = 1e9 - onDisk();
    const repo = api.app.get(MediaFileRepository);
    const original = repo.volume.bind(repo);
    repo.volume = async () => ({ totalBytes: 1e9, freeBytes: 1e9 - onDisk() });
    try {
      // One byte more than freeing segments 0, 2 and 3 (1 is protected) gives: those three go, nothing else.
      const floor = FREE0 + sum(segF, [0, 2]) + 1;
      const set = await api.json<{ minFreeBytes: number }>('PUT', '/retention/policies/global', { minFreeBytes: floor });
      assert.equal(set.status, 200);
      assert.equal(set.body.minFreeBytes, floor);
      const storage = await api.json<{ volumeFreeBytes: number; minFreeBytes: number }>('GET', '/storage');
      assert.deepEqual([storage.body.volumeFreeBytes, storage.body.minFreeBytes], [FREE0, floor]);

      const result = await runSweep();
      assert.deepEqual(result.byReason, { age: 0, size: 0, freeSpace: 3 });
      assert.equal(result.bytesFreed, sum(segF, [0, 2, 3]));
      assert.deepEqual(await rowPaths(api.ds, root, f), pathsOf(root, segF, [1, 4, 5]));
      assert.deepEqual(files(root, f), pathsOf(root, segF, [1, 4, 5]));
      assert.deepEqual({ a: await rowPaths(api.ds, root, recA.cameraId), b: await rowPaths(api.ds, root, recB.cameraId) }, before, 'newer footage of other cameras is kept');
      assert.ok((await repo.volume()).freeBytes >= floor);

      // At the floor, a sweep deletes nothing.
      assert.equal((await runSweep()).segmentsDeleted, 0);
    } finally {
      repo.volume = original;
      await api.json('PUT', '/retention/policies/global', { minFreeBytes: null });
    }
  });
});

describe('retention in a killed process', () => {
  const HOLD = 7_420_001; // advisory lock key the test holds while the sweep is paused

  test('an `api` process SIGKILLed after journaling a batch and deleting its files: no orphan file, no dangling row; the restarted API finishes it', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase('wyze_nvr_api_kill');
    const dataDir = mkdtempSync(join(tmpdir(), 'nvr-api-kill-'));
    const root = join(dataDir, 'recordings');
    const ds = createDataSource({ url: db.url });
    const pg = new Client({ connectionString: db.url });
    const procs: CliProcess[] = [];
    try {
      await ds.initialize();
      await runMigrations(ds);
      // The child's clock is the wall clock: footage from an hour ago, 60 s limit, two cameras (two batches).
      const start = Math.floor(Date.now() / 1000) * 1000 * 1000 - 3600 * S;
      const cams = [(await addCamera(ds, 1)).id, (await addCamera(ds, 2)).id];
      for (const id of cams) {
        await writeRecording(ds, root, id, { startUs: start, segments: 3, framesEach: 40 });
        await ds.query(`INSERT INTO retention_policies (camera_id, max_age_us) VALUES ($1, $2)`, [id, 60 * S]);
      }
      await ds.destroy();

      // The pause: clearing the journal (the step after the files are deleted) waits for a lock the test holds.
      await pg.connect();
      await pg.query(`CREATE FUNCTION test_hold_clear() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock(${HOLD}); RETURN NULL; END $$`);
      await pg.query(`CREATE TRIGGER test_hold_clear BEFORE DELETE ON segment_deletions FOR EACH STATEMENT EXECUTE FUNCTION test_hold_clear()`);
      await pg.query(`SELECT pg_advisory_lock(${HOLD})`);

      const token = randomBytes(12).toString('hex');
      const port = await freePort();
      const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, RECORDINGS_DIR: root, API_TOKEN: token, SECRET_KEY: randomBytes(32).toString('hex'), API_HOST: '127.0.0.1', API_PORT: String(port), LOG_LEVEL: 'info' };
      const base = {
        request: (method: string, path: string) => fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${token}` } }),
      };
      const first = new CliProcess(['api'], env);
      procs.push(first);
      await first.waitFor(/api listening/, 60_000);
      assert.equal((await base.request('POST', '/retention/run')).status, 202);

      const waiting = await expectEventually(
        async () => {
          const r = await pg.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`, [HOLD]);
          assert.equal(r.rows.length, 1, 'the sweep is waiting to clear its journal');
          return r.rows[0].pid as number;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const journal: { camera_id: number; path: string }[] = (await pg.query(`SELECT camera_id, path FROM segment_deletions ORDER BY path`)).rows;
      assert.equal(journal.length, 3, 'one camera\'s batch is in the journal');
      const [done] = new Set(journal.map((j) => j.camera_id));
      const other = cams.find((c) => c !== done)!;
      assert.deepEqual(files(root, done), [], 'its files are deleted');
      assert.equal(files(root, other).length, 3, 'the other camera is untouched');

      first.child.kill('SIGKILL');
      await first.exited;
      assert.equal(first.child.signalCode, 'SIGKILL');
      // The killed process's statement would not have finished: end its session as the server would on its own.
      await pg.query(`SELECT pg_terminate_backend($1)`, [waiting]);
      await expectEventually(async () => assert.equal((await pg.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [waiting])).rows.length, 0));
      await pg.query(`DROP TRIGGER test_hold_clear ON segment_deletions`);
      await pg.query(`SELECT pg_advisory_unlock(${HOLD})`);

      // Consistent after the kill: no row without its file, no file without a row or journal entry.
      const journalAfter: { path: string }[] = (await pg.query(`SELECT path FROM segment_deletions`)).rows;
      assert.equal(journalAfter.length, 3, 'the journal survived the kill');
      for (const id of cams) {
        for (const p of await rowPaths(pg, root, id)) assert.ok(existsSync(join(root, p)), `row ${p} has its file`);
        const named = new Set([...(await rowPaths(pg, root, id)), ...journalAfter.map((j) => rel(root, j.path))]);
        for (const f of files(root, id)) assert.ok(named.has(f), `file ${f} is accounted for`);
      }

      const second = new CliProcess(['api'], env);
      procs.push(second);
      await second.waitFor(/api listening/, 60_000);
      const result = await runSweep(base);
      assert.equal(result.resumed, 3);
      assert.equal(result.segmentsDeleted, 3);
      for (const id of cams) {
        assert.deepEqual(await rowPaths(pg, root, id), []);
        assert.deepEqual(files(root, id), []);
      }
      assert.deepEqual((await pg.query(`SELECT * FROM segment_deletions`)).rows, []);
      assert.equal(await second.stop('SIGTERM'), 0, second.output.slice(-2000));
    } finally {
      for (const p of procs) await p.stop('SIGKILL');
      await pg.end().catch(() => undefined);
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
