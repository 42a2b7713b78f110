import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/pg';
import { createDataSource, revertAllMigrations, runMigrations } from './data-source';
import { CameraEntity, EventEntity, ExportEntity, GapEntity, RetentionPolicyEntity, SegmentEntity } from './entities';
import { migrations } from './migrations';

const TABLES = ['camera_leases', 'camera_status', 'cameras', 'events', 'exports', 'gaps', 'motion_activity', 'recorder_nodes', 'retention_policies', 'segment_deletions', 'segments', 'sessions'];
// 2023-11-14T22:13:20Z in µs: well past 2^32, so a driver that truncated or stringified int8 shows up.
const T0 = 1_700_000_000_000_000;

interface Opened {
  ds: DataSource;
  cleanup(): Promise<void>;
}

async function listTables(ds: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function addCamera(ds: DataSource, mac: string): Promise<CameraEntity> {
  return ds.getRepository(CameraEntity).save({
    name: `cam ${mac}`,
    uid: `UID${mac}`.padEnd(20, 'X'),
    enrEncrypted: 'v1:opaque',
    mac,
    model: 'WYZE_CAKP2JFUS',
  });
}

function driverSuite(label: string, open: () => Promise<Opened>): void {
  describe(label, () => {
    let ds: DataSource;
    let cleanup: () => Promise<void>;

    before(async () => {
      ({ ds, cleanup } = await open());
      await ds.initialize();
    });
    after(async () => {
      if (ds.isInitialized) await ds.destroy();
      await cleanup();
    });

    test('empty → up creates every table; revert all leaves only the migrations table; up again works', async () => {
      assert.deepEqual(await listTables(ds), []);

      assert.deepEqual(await runMigrations(ds), migrations.map((m) => m.name));
      assert.deepEqual(await listTables(ds), [...TABLES, 'migrations'].sort());
      assert.deepEqual(await runMigrations(ds), [], 'a second run applies nothing');

      assert.equal(await revertAllMigrations(ds), migrations.length);
      assert.deepEqual(await listTables(ds), ['migrations']);

      assert.deepEqual(await runMigrations(ds), migrations.map((m) => m.name));
      assert.deepEqual(await listTables(ds), [...TABLES, 'migrations'].sort());
    });

    test('the migrated schema is what the entities describe (no drift)', async () => {
      const pending = await ds.driver.createSchemaBuilder().log();
      assert.deepEqual(
        pending.upQueries.map((q) => q.query),
        [],
      );
    });

    test('int8 columns, identity ids, COUNT(*) and int8[] come back as JS numbers', async () => {
      const camera = await addCamera(ds, 'AA0000000001');
      const saved = await ds.getRepository(SegmentEntity).save({
        cameraId: camera.id,
        startUs: T0,
        endUs: T0 + 60_000_000,
        path: `${camera.id}/a.mp4`,
        bytes: 5_000_000_000,
      });
      const [row] = await ds.getRepository(SegmentEntity).findBy({ id: saved.id });
      assert.equal(typeof row.id, 'number');
      assert.equal(row.startUs, T0);
      assert.equal(row.endUs, T0 + 60_000_000);
      assert.equal(row.bytes, 5_000_000_000);

      const [{ n }] = await ds.query(`SELECT count(*) AS n FROM segments`);
      assert.equal(n, 1);
      const raw = await ds
        .createQueryBuilder(SegmentEntity, 's')
        .select('count(*)', 'n')
        .addSelect('max(s.end_us)', 'last')
        .getRawOne();
      assert.deepEqual(raw, { n: 1, last: T0 + 60_000_000 });
      const [{ a }] = await ds.query(`SELECT ARRAY[$1::int8, NULL, -3]::int8[] AS a`, [T0]);
      assert.deepEqual(a, [T0, null, -3]);
    });

    test('an int8 beyond 2^53 is an error, not a rounded number', async () => {
      await assert.rejects(ds.query(`SELECT 9007199254740993::int8 AS x`), /outside the exactly representable range/);
      const [{ x }] = await ds.query(`SELECT 9007199254740991::int8 AS x`);
      assert.equal(x, Number.MAX_SAFE_INTEGER);
    });

    test('every table accepts a row; uuid, defaults and constraints behave', async () => {
      const camera = await addCamera(ds, 'AA0000000002');
      assert.equal(camera.enabled, true);
      assert.equal(camera.quality, 'hd');
      assert.equal(camera.flavour, null);

      const exp = await ds.getRepository(ExportEntity).save({ cameraId: camera.id, fromUs: T0, toUs: T0 + 1 });
      assert.match(exp.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const reread = await ds.getRepository(ExportEntity).findOneByOrFail({ id: exp.id });
      assert.equal(reread.state, 'queued');
      assert.equal(reread.progress, 0);

      const ev = await ds.getRepository(EventEntity).save({ cameraId: camera.id, startUs: T0, peakScore: 0.75, protected: true });
      assert.equal((await ds.getRepository(EventEntity).findOneByOrFail({ id: ev.id })).protected, true);

      await ds.getRepository(RetentionPolicyEntity).save({ cameraId: null, maxAgeUs: 30 * 86_400_000_000 });
      await assert.rejects(ds.getRepository(RetentionPolicyEntity).insert({ cameraId: null, maxBytes: 1 }), /one_global_key/);
      await assert.rejects(addCamera(ds, 'AA0000000002'), /cameras_mac_key/);
      await assert.rejects(
        ds.getRepository(ExportEntity).insert({ cameraId: camera.id, fromUs: T0, toUs: T0 + 1, progress: 101 }),
        /exports_progress_check/,
      );
      await assert.rejects(
        ds.getRepository(SegmentEntity).insert({ cameraId: camera.id, startUs: T0, endUs: T0 - 1, path: 'x' }),
        /segments_range_check/,
      );

      await ds.getRepository(GapEntity).insert({ cameraId: camera.id, startUs: T0, reason: 'offline' });
      await assert.rejects(
        ds.getRepository(GapEntity).insert({ cameraId: camera.id, startUs: T0 + 5, reason: 'stalled' }),
        /gaps_one_open_per_camera_key/,
      );

      const update = await ds.getRepository(ExportEntity).update({ id: exp.id }, { state: 'active', progress: 10 });
      assert.equal(update.affected, 1);
    });

    test('concurrent transactions stay isolated from each other', async () => {
      const camera = await addCamera(ds, 'AA0000000006');
      const tick = () => new Promise((r) => setImmediate(r));
      const first = ds.transaction(async (m) => {
        await m.insert(GapEntity, { cameraId: camera.id, startUs: 1, endUs: 2, reason: 'stalled' });
        await tick();
        await tick();
      });
      const second = ds.transaction(async (m) => {
        await m.insert(GapEntity, { cameraId: camera.id, startUs: 3, endUs: 4, reason: 'disk_error' });
        await tick();
        throw new Error('rolled back on purpose');
      });
      const [one, two] = await Promise.allSettled([first, second]);
      assert.equal(one.status, 'fulfilled');
      assert.equal(two.status, 'rejected');
      const reasons = (await ds.getRepository(GapEntity).findBy({ cameraId: camera.id })).map((g) => g.reason);
      assert.deepEqual(reasons, ['stalled']);
    });
  });
}

driverSuite('db on PostgreSQL (pg)', async () => {
  const db = await createTestDatabase();
  return { ds: createDataSource({ url: db.url }), cleanup: db.drop };
});

describe('db on embedded PostgreSQL (PGlite)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'wyze-nvr-db-'));
    dirs.push(d);
    return d;
  };

  driverSuite('shared checks', async () => ({ ds: createDataSource({ dataDir: tempDir() }), cleanup: async () => {} }));

  test('data persists under <dataDir>/pglite across reopen, and migrations are not reapplied', async () => {
    const dataDir = tempDir();
    const first = await createDataSource({ dataDir }).initialize();
    await runMigrations(first);
    await addCamera(first, 'BB0000000001');
    await first.destroy();

    const second = await createDataSource({ dataDir }).initialize();
    try {
      assert.deepEqual(await runMigrations(second), []);
      assert.deepEqual((await second.getRepository(CameraEntity).find()).map((c) => c.mac), ['BB0000000001']);
    } finally {
      await second.destroy();
    }
  });

  test('a second embedded DataSource cannot open while one is open', async () => {
    const first = await createDataSource().initialize();
    try {
      await assert.rejects(createDataSource().initialize(), /already open/);
    } finally {
      await first.destroy();
    }
    const again = await createDataSource().initialize();
    await again.destroy();
  });
});

test('createDataSource rejects a non-postgres URL', () => {
  assert.throws(() => createDataSource({ url: 'mysql://localhost/x' }), /postgres:\/\//);
});
