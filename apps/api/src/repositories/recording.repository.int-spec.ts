import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDataSource, GapEntity, runMigrations, SEGMENTS_CAMERA_RANGE_INDEX, SegmentEntity, type DataSourceConfig } from '@wyze-nvr/db';
import type { DataSource, Logger } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/pg';
import type { ApiDeps } from '../api.deps';
import { mergeSpans } from '../recordings/coverage';
import { RecordingRepository } from './recording.repository';

// 2023-11-14T22:13:20Z in µs: well past 2^32, so a driver that truncated or stringified int8 shows up.
const T0 = 1_700_000_000_000_000;
const PLAN_CAMERAS = 4;
const PLAN_PER_CAMERA = 5_000;
const SEGMENT_US = 60_000_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/** Records the statements TypeORM sends, so the test explains exactly what the repository runs. */
class CapturingLogger implements Logger {
  readonly queries: { query: string; parameters: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Inserts `n` cameras named after `tag` and returns their ids in insertion order. */
async function addCameras(ds: DataSource, tag: string, n: number): Promise<number[]> {
  const rows: { id: number }[] = await ds.query(
    `INSERT INTO cameras (name, uid, enr_encrypted, mac, model)
     SELECT 'cam ' || $1 || c, 'UID' || $1 || c, 'x', 'MAC' || $1 || c, 'WYZE_CAKP2JFUS' FROM generate_series(1, $2) AS c
     RETURNING id`,
    [tag, n],
  );
  return rows.map((r) => r.id);
}

function driverSuite(label: string, open: () => Promise<{ config: DataSourceConfig; cleanup(): Promise<void> }>): void {
  describe(label, () => {
    let ds: DataSource;
    let repo: RecordingRepository;
    let cleanup: () => Promise<void> = async () => {};
    const logger = new CapturingLogger();

    before(async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      ds = await createDataSource({ ...opened.config, logging: ['query'], logger }).initialize();
      await runMigrations(ds);
      repo = new RecordingRepository({ dataSource: ds } as ApiDeps);
    });

    after(async () => {
      if (ds?.isInitialized) await ds.destroy();
      await cleanup();
    });

    test('overlapping returns exactly the segments whose [start, end) meets [from, to)', async () => {
      const [a, b] = await addCameras(ds, 'ov', 2);
      // Random segments, some touching, some nested, some zero-length, on two cameras.
      let seed = 7;
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const rows = Array.from({ length: 300 }, (_, i) => {
        const start = T0 + rand(1000) * 1000;
        return { cameraId: i % 3 === 0 ? b : a, startUs: start, endUs: start + rand(50) * 1000, path: `ov/${i}.mp4` };
      });
      await ds.getRepository(SegmentEntity).insert(rows);

      for (let i = 0; i < 40; i++) {
        const from = T0 + rand(1100) * 1000 - 50_000;
        const to = from + rand(80) * 1000 + 1;
        const expected = rows
          .filter((r) => r.cameraId === a && r.startUs < to && r.endUs > from && r.endUs > r.startUs)
          .map((r) => r.path)
          .sort();
        const got = (await repo.overlapping(a, from, to)).map((s) => s.path).sort();
        assert.deepEqual(got, expected, `window [${from}, ${to})`);
      }

      // Half-open: a segment ending exactly at `from`, or starting exactly at `to`, is outside.
      await ds.getRepository(SegmentEntity).insert([
        { cameraId: b, startUs: T0 - 20, endUs: T0 - 10, path: 'edge/1.mp4' },
        { cameraId: b, startUs: T0 - 10, endUs: T0 - 5, path: 'edge/2.mp4' },
        { cameraId: b, startUs: T0 - 5, endUs: T0 - 1, path: 'edge/3.mp4' },
      ]);
      assert.deepEqual(
        (await repo.overlapping(b, T0 - 10, T0 - 5)).map((s) => s.path),
        ['edge/2.mp4'],
      );
      assert.deepEqual(await repo.overlapping(b, T0 - 5, T0 - 5), []);
      assert.throws(() => repo.overlapping(b, 1.5, 3), RangeError);
    });

    test('spansOfCameras merges in SQL exactly as mergeSpans merges each camera’s segment rows', async () => {
      const cams = await addCameras(ds, 'sp', 3);
      let seed = 11;
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return Math.floor((seed / 2 ** 31) * n); // the high bits: the low ones of this LCG repeat with a short period
      };
      // Runs of segments with small holes (some within the tolerance), overlaps, zero-length rows and rows whose
      // file is missing (left out of coverage).
      const rows = cams.flatMap((cameraId, c) => {
        let t = T0 + c * 7_000;
        return Array.from({ length: 200 }, (_, i) => {
          const start = t + [0, 0, 0, 500, 3_000, -2_000][rand(6)];
          const end = start + rand(8) * 1_000;
          t = Math.max(t, end);
          return { cameraId, startUs: start, endUs: end, path: `sp/${c}/${i}.mp4`, state: rand(12) === 0 ? ('missing' as const) : ('closed' as const) };
        });
      });
      await ds.getRepository(SegmentEntity).insert(rows);
      const tolerance = 1_000;
      for (let i = 0; i < 20; i++) {
        const from = T0 + rand(900_000) - 10_000;
        const to = from + rand(600_000) + 1;
        const all = await repo.spansOfCameras(from, to, tolerance);
        for (const cam of cams) {
          // Unclipped, as the SQL answers.
          const expected = mergeSpans(await repo.spans(cam, from, to), Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, tolerance);
          const got = all.filter((s) => s.cameraId === cam).map(({ startUs, endUs }) => ({ startUs, endUs }));
          assert.deepEqual(got, expected, `camera ${cam}, window [${from}, ${to})`);
        }
      }
      const spans = (await repo.spansOfCameras(T0, T0 + 600_000, tolerance)).filter((s) => cams.includes(s.cameraId));
      assert.ok(spans.length > 3, `the data has holes: ${JSON.stringify(spans)}`);
    });

    test('latestSegments gives each camera its newest segment (the higher id on a tie), in one statement', async () => {
      const [a, b, none] = await addCameras(ds, 'latest', 3);
      const rows = [
        { cameraId: a, startUs: T0, endUs: T0 + 10, path: 'latest/a1.mp4' },
        { cameraId: a, startUs: T0 + 50, endUs: T0 + 60, path: 'latest/a2.mp4' },
        { cameraId: a, startUs: T0 + 20, endUs: T0 + 30, path: 'latest/a3.mp4' },
        { cameraId: b, startUs: T0 + 5, endUs: T0 + 9, path: 'latest/b1.mp4' },
        { cameraId: b, startUs: T0 + 5, endUs: T0 + 9, path: 'latest/b2.mp4' },
      ];
      await ds.getRepository(SegmentEntity).insert(rows);
      logger.queries.length = 0;
      const latest = await repo.latestSegments([a, b, none]);
      assert.equal(logger.queries.filter((q) => /^SELECT/i.test(q.query)).length, 1);
      assert.deepEqual([latest.get(a)?.path, latest.get(b)?.path, latest.has(none)], ['latest/a2.mp4', 'latest/b2.mp4', false]);
      assert.deepEqual(await repo.latestSegments([]), new Map());
    });

    test('an open gap (end_us NULL) overlaps every window after its start', async () => {
      const [camera] = await addCameras(ds, 'gap', 1);
      await ds.getRepository(GapEntity).insert([
        { cameraId: camera, startUs: T0, endUs: T0 + 10, reason: 'network_loss' },
        { cameraId: camera, startUs: T0 + 100, endUs: null, reason: 'offline' },
      ]);
      assert.deepEqual(
        (await repo.gaps(camera, T0 + 1_000_000, T0 + 2_000_000)).map((g) => g.reason),
        ['offline'],
      );
      assert.deepEqual(
        (await repo.gaps(camera, T0, T0 + 101)).map((g) => g.reason),
        ['network_loss', 'offline'],
      );
      assert.deepEqual(await repo.gaps(camera, T0 + 10, T0 + 100), []);
    });

    test(`overlapping is answered from ${SEGMENTS_CAMERA_RANGE_INDEX}, not a sequential scan`, async () => {
      const cameras = await addCameras(ds, 'plan', PLAN_CAMERAS);
      // Contiguous one-minute segments per camera: PLAN_CAMERAS × PLAN_PER_CAMERA rows.
      await ds.query(
        `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, state)
         SELECT c, $1::int8 + i * $2::int8, $1::int8 + (i + 1) * $2::int8, 'plan/' || c || '/' || i || '.mp4', 1000000, 'closed'
           FROM unnest($4::int4[]) AS c CROSS JOIN generate_series(0, $3 - 1) AS i`,
        [T0, SEGMENT_US, PLAN_PER_CAMERA, cameras],
      );
      await ds.query(`ANALYZE segments`);
      const [{ n }] = await ds.query(`SELECT count(*) AS n FROM segments WHERE camera_id = ANY($1::int4[])`, [cameras]);
      assert.equal(n, PLAN_CAMERAS * PLAN_PER_CAMERA);

      const cameraId = cameras[2];
      // Ten minutes in the middle of the recording, starting half-way through a segment.
      const fromUs = T0 + 2_500 * SEGMENT_US + SEGMENT_US / 2;
      const toUs = fromUs + 10 * SEGMENT_US;

      logger.queries.length = 0;
      const segments = await repo.overlapping(cameraId, fromUs, toUs);
      assert.equal(segments.length, 11);
      assert.equal(segments[0].startUs, T0 + 2_500 * SEGMENT_US);
      assert.ok(segments.every((s) => s.cameraId === cameraId));

      const selects = logger.queries.filter((q) => /^SELECT/i.test(q.query));
      assert.equal(selects.length, 1, 'overlapping runs one statement');
      const [{ 'QUERY PLAN': plan }] = await ds.query(`EXPLAIN (FORMAT JSON) ${selects[0].query}`, selects[0].parameters);
      const nodes = flatten(plan[0].Plan as PlanNode);
      const types = nodes.map((node) => `${node['Node Type']}${node['Index Name'] ? ` on ${node['Index Name']}` : ''}`);

      assert.ok(
        nodes.some(
          (node) =>
            ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'].includes(node['Node Type']) &&
            node['Index Name'] === SEGMENTS_CAMERA_RANGE_INDEX,
        ),
        `plan does not use ${SEGMENTS_CAMERA_RANGE_INDEX}: ${types.join(' > ')}`,
      );
      assert.ok(!nodes.some((node) => node['Node Type'] === 'Seq Scan'), `plan has a sequential scan: ${types.join(' > ')}`);
    });
  });
}

driverSuite('RecordingRepository on PostgreSQL (pg)', async () => {
  const db = await createTestDatabase();
  return { config: { url: db.url }, cleanup: db.drop };
});

driverSuite('RecordingRepository on embedded PostgreSQL (PGlite)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-nvr-api-recordings-'));
  return { config: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
});
