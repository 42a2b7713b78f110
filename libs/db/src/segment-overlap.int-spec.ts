import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource, Logger } from 'typeorm';
import { createTestDatabase } from '../../../test/support/pg';
import { createDataSource, runMigrations, type DataSourceConfig } from './data-source';
import { SEGMENTS_CAMERA_RANGE_INDEX } from './entities';
import { SegmentRepository } from './repositories';

const CAMERAS = 4;
const PER_CAMERA = 5_000;
const SEGMENT_US = 60_000_000;
const T0 = 1_700_000_000_000_000;

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

function planSuite(label: string, open: () => Promise<{ config: DataSourceConfig; cleanup(): Promise<void> }>): void {
  describe(label, () => {
    let ds: DataSource;
    let cleanup: () => Promise<void> = async () => {};
    const logger = new CapturingLogger();

    before(async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      ds = await createDataSource({ ...opened.config, logging: ['query'], logger }).initialize();
      await runMigrations(ds);
      await ds.query(
        `INSERT INTO cameras (name, uid, enr_encrypted, mac, model)
         SELECT 'cam ' || c, 'UID' || c, 'x', 'MAC' || c, 'WYZE_CAKP2JFUS' FROM generate_series(1, $1) AS c`,
        [CAMERAS],
      );
      // Contiguous one-minute segments per camera: CAMERAS × PER_CAMERA rows.
      await ds.query(
        `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, state)
         SELECT c.id, $1::int8 + i * $2::int8, $1::int8 + (i + 1) * $2::int8, c.id || '/' || i || '.mp4', 1000000, 'closed'
           FROM cameras c CROSS JOIN generate_series(0, $3 - 1) AS i`,
        [T0, SEGMENT_US, PER_CAMERA],
      );
      await ds.query(`ANALYZE segments`);
    });

    after(async () => {
      if (ds?.isInitialized) await ds.destroy();
      await cleanup();
    });

    test(`SegmentRepository.findOverlapping is answered from ${SEGMENTS_CAMERA_RANGE_INDEX}, not a sequential scan`, async () => {
      const [{ n }] = await ds.query(`SELECT count(*) AS n FROM segments`);
      assert.equal(n, CAMERAS * PER_CAMERA);

      const [{ id: cameraId }] = await ds.query(`SELECT id FROM cameras ORDER BY id OFFSET 2 LIMIT 1`);
      // Ten minutes in the middle of the recording, starting half-way through a segment.
      const fromUs = T0 + 2_500 * SEGMENT_US + SEGMENT_US / 2;
      const toUs = fromUs + 10 * SEGMENT_US;

      logger.queries.length = 0;
      const segments = await new SegmentRepository(ds.manager).findOverlapping(cameraId, fromUs, toUs);
      assert.equal(segments.length, 11);
      assert.equal(segments[0].startUs, T0 + 2_500 * SEGMENT_US);
      assert.ok(segments.every((s) => s.cameraId === cameraId));

      const selects = logger.queries.filter((q) => /^SELECT/i.test(q.query));
      assert.equal(selects.length, 1, 'findOverlapping runs one statement');
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

planSuite('segments overlap query on PostgreSQL (pg)', async () => {
  const db = await createTestDatabase();
  return { config: { url: db.url }, cleanup: db.drop };
});

planSuite('segments overlap query on embedded PostgreSQL (PGlite)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-nvr-db-plan-'));
  return { config: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
});
