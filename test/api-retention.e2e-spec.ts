// Retention over real HTTP, PostgreSQL and Redis: by age and by size, protected events and pending exports
// kept, a sweep interrupted mid-way and re-run leaves files and rows consistent. Storage usage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EventEntity, ExportEntity } from '@wyze-nvr/db';
import { expectEventually } from '@wyze-nvr/jobs/testing';
import { MediaFileRepository } from '../apps/api/src/repositories/media-file.repository';
import { RetentionService } from '../apps/api/src/retention/retention.service';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { writeRecording, type WrittenSegment } from './support/api-recordings';

const NOW_MS = 1_760_003_600_000;
const NOW_US = NOW_MS * 1000;
const T0 = NOW_US - 3600 * 1e6; // an hour ago
const S = 1_000_000;
let api: TestApi;

before(async () => {
  api = await startTestApi({ redis: true, now: () => NOW_MS });
});
after(async () => api?.close());

function files(cameraId: number): string[] {
  const root = join(api.recordingsDir, String(cameraId));
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(api.recordingsDir, p));
    }
  };
  walk(root);
  return out.sort();
}

async function rowPaths(cameraId: number): Promise<string[]> {
  return (await api.ds.query(`SELECT path FROM segments WHERE camera_id = $1 ORDER BY path`, [cameraId])).map((r: { path: string }) => r.path);
}

async function runSweep(): Promise<{ bytesFreed: number; segmentsDeleted: number; resumed: number }> {
  const r = await api.json<{ jobId: string }>('POST', '/retention/run');
  assert.equal(r.status, 202);
  assert.match(r.body.jobId, /^retention:\d+$/);
  const job = await expectEventually(async () => {
    const j = await api.json<{ state: string; result: { bytesFreed: number; segmentsDeleted: number; resumed: number }; error: string | null }>('GET', `/jobs/${r.body.jobId}`);
    assert.ok(['completed', 'failed'].includes(j.body.state), j.body.state);
    return j.body;
  });
  assert.equal(job.state, 'completed', job.error ?? '');
  return job.result;
}

const paths = (segs: WrittenSegment[], idx: number[]) => idx.map((i) => segs[i].row.path).sort();
const sum = (segs: WrittenSegment[], idx: number[]) => idx.reduce((n, i) => n + segs[i].row.bytes, 0);

describe('retention', () => {
  test('by age and by size it deletes exactly the oldest unprotected segments, files and rows, and reports bytes freed', async () => {
    const a = (await addCamera(api.ds, 1)).id;
    const b = (await addCamera(api.ds, 2)).id;
    const segA = await writeRecording(api.ds, api.recordingsDir, a, { startUs: T0, segments: 8, framesEach: 40 }); // 2 s each
    const segB = await writeRecording(api.ds, api.recordingsDir, b, { startUs: T0, segments: 5, framesEach: 40 });
    // Camera a: footage ending at or before T0 + 11 s is too old: segments 0..4. Segment 1 holds a protected
    // event (pre-roll included), segment 3 is in a queued export: 0, 2, 4 go.
    await api.ds.getRepository(EventEntity).insert({ cameraId: a, startUs: T0 + 3 * S, endUs: T0 + 3.2 * S, preRollUs: 0.5 * S, protected: true });
    await api.ds.getRepository(EventEntity).insert({ cameraId: a, startUs: T0 + 8.5 * S, endUs: T0 + 8.6 * S, protected: false });
    await api.ds.getRepository(ExportEntity).insert({ cameraId: a, fromUs: T0 + 6.5 * S, toUs: T0 + 7 * S, state: 'queued' });
    assert.equal((await api.json('PUT', `/cameras/${a}/retention`, { maxAgeSeconds: 3600 - 11 })).status, 200);
    // Camera b: one byte under "all but segment 0" → segments 0 and 1 go.
    const totalB = sum(segB, [0, 1, 2, 3, 4]);
    assert.equal((await api.json('PUT', `/cameras/${b}/retention`, { maxBytes: totalB - segB[0].row.bytes - 1 })).status, 200);
    const policies = await api.json<{ cameras: { cameraId: number; maxAgeSeconds: number | null; maxBytes: number | null }[] }>('GET', '/retention/policies');
    assert.deepEqual(policies.body.cameras.map((p) => p.cameraId).sort(), [a, b]);

    const result = await runSweep();
    assert.equal(result.segmentsDeleted, 5);
    assert.equal(result.bytesFreed, sum(segA, [0, 2, 4]) + sum(segB, [0, 1]));
    const keptA = [1, 3, 5, 6, 7];
    assert.deepEqual(await rowPaths(a), paths(segA, keptA));
    assert.deepEqual(files(a), paths(segA, keptA));
    assert.deepEqual(await rowPaths(b), paths(segB, [2, 3, 4]));
    assert.deepEqual(files(b), paths(segB, [2, 3, 4]));
    assert.deepEqual(await api.ds.query(`SELECT * FROM segment_deletions`), []);

    const storage = await api.json<{ cameras: { cameraId: number; bytes: number; segments: number; estimatedDaysKept: number | null; limitedBy: string | null }[] }>('GET', '/storage');
    const sa = storage.body.cameras.find((c) => c.cameraId === a)!;
    assert.equal(sa.bytes, sum(segA, keptA));
    assert.equal(sa.segments, 5);
    assert.equal(sa.limitedBy, 'maxAge');

    // A second sweep finds nothing more to do.
    assert.equal((await runSweep()).segmentsDeleted, 0);
  });

  test('a sweep that dies mid-way leaves no orphan file and no dangling row; the re-run finishes the job', async () => {
    const c = (await addCamera(api.ds, 3)).id;
    const segC = await writeRecording(api.ds, api.recordingsDir, c, { startUs: T0, segments: 6, framesEach: 40 });
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
    for (const p of await rowPaths(c)) assert.ok(existsSync(join(api.recordingsDir, p)), `row ${p} has its file`);
    // No orphan file: every file left is named by a segments row or the journal.
    const named = new Set([...(await rowPaths(c)), ...journal.map((j) => j.path)]);
    for (const f of files(c)) assert.ok(named.has(f), `file ${f} is accounted for`);
    assert.equal(files(c).length, segC.length - 2);

    const result = await runSweep();
    assert.ok(result.resumed >= journal.length);
    assert.deepEqual(await rowPaths(c), []);
    assert.deepEqual(files(c), []);
    assert.deepEqual(await api.ds.query(`SELECT * FROM segment_deletions`), []);
  });
});
