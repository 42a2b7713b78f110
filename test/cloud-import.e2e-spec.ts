// Camera import from the (fake) Wyze cloud into PostgreSQL: classification, upsert by MAC, dry runs,
// sealed ENRs, and a session that renews itself mid-import.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@wyze-nvr/config';
import { CameraEntity, createDataSource, runMigrations } from '@wyze-nvr/db';
import {
  CloudAccountService,
  CloudImportService,
  FileCloudSessionStore,
  WyzeCloudClient,
  WyzeCloudError,
  type ImportPlan,
  type ImportProgress,
} from '@wyze-nvr/wyze-cloud';
import type { DataSource } from 'typeorm';
import { FakeWyzeCloud } from './fake-wyze-cloud/fake-wyze-cloud';
import { createTestDatabase, type TestDatabase } from './support/pg';

let db: TestDatabase;
let ds: DataSource;
let fake: FakeWyzeCloud;
let dataDir: string;
const secretKey = randomBytes(32);
let store: FileCloudSessionStore;
let service: CloudImportService;

const V3 = '2CAA8E0000A1';
const V4 = '2CAA8E0000A2';
const DOORBELL = '2CAA8E0000A3';
const PAN3 = '2CAA8E0000A4';
const GWELL = '2CAA8E0000A5';
const NO_DTLS = '2CAA8E0000A6';

/** Every column of every camera row, as text, in id order: what "nothing changed" compares. */
async function snapshot(): Promise<string> {
  const rows: unknown[] = await ds.query(`SELECT c.*::text AS row FROM cameras c ORDER BY id`);
  return JSON.stringify(rows);
}

async function rows(): Promise<CameraEntity[]> {
  return ds.getRepository(CameraEntity).find({ order: { id: 'ASC' } });
}

function entry(plan: ImportPlan, mac: string) {
  const e = plan.entries.find((x) => x.mac === mac);
  assert.ok(e, `no plan entry for ${mac}`);
  return e;
}

before(async () => {
  db = await createTestDatabase();
  ds = createDataSource({ url: db.url });
  await ds.initialize();
  await runMigrations(ds);
  fake = new FakeWyzeCloud();
  await fake.start();
  dataDir = mkdtempSync(join(tmpdir(), 'wyze-import-'));
  store = new FileCloudSessionStore(dataDir, secretKey);
  const client = new WyzeCloudClient({ authUrl: fake.url, apiUrl: fake.url });
  service = new CloudImportService({ dataSource: ds, secretKey, client, sessions: store });
  const a = fake.account;
  await new CloudAccountService({ client, sessions: store }).login({ email: a.email, password: a.password, apiKeyId: a.apiKeyId, apiKey: a.apiKey });
});

after(async () => {
  await ds?.destroy();
  await db?.drop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('camera import', () => {
  test('without a session it is not-logged-in', async () => {
    const other = new CloudImportService({
      dataSource: ds,
      secretKey,
      client: new WyzeCloudClient({ authUrl: fake.url, apiUrl: fake.url }),
      sessions: new FileCloudSessionStore(join(dataDir, 'nobody'), secretKey),
    });
    await assert.rejects(other.import(), (e: unknown) => e instanceof WyzeCloudError && e.code === 'not-logged-in');
  });

  test('a first dry run plans the creates and writes nothing', async () => {
    const plan = await service.import({ dryRun: true });
    assert.equal(plan.dryRun, true);
    assert.deepEqual(plan.counts, { create: 4, update: 0, unchanged: 0, skip: 2 });
    assert.equal((await rows()).length, 0);
    assert.equal((await service.status()).lastImport, undefined, 'a dry run is not recorded as an import');
  });

  test('the first import creates the supported and untested cameras, enabled, and skips the rest with reasons', async () => {
    const progress: ImportProgress[] = [];
    const plan = await service.import({ onProgress: (p) => progress.push(p) });
    assert.deepEqual(plan.counts, { create: 4, update: 0, unchanged: 0, skip: 2 });
    assert.equal(plan.otherDevices, 1, 'the plug is not a camera');
    assert.deepEqual(
      progress.map((p) => [p.done, p.total]),
      [1, 2, 3, 4, 5, 6].map((n) => [n, 6]),
    );

    assert.equal(entry(plan, V3).support, 'supported');
    assert.equal(entry(plan, V4).support, 'supported');
    assert.equal(entry(plan, DOORBELL).support, 'supported');
    assert.equal(entry(plan, PAN3).support, 'untested');
    assert.equal(entry(plan, GWELL).action, 'skip');
    assert.match(entry(plan, GWELL).reason ?? '', /Gwell/);
    assert.equal(entry(plan, NO_DTLS).action, 'skip');
    assert.match(entry(plan, NO_DTLS).reason ?? '', /DTLS/);

    const cams = await rows();
    assert.deepEqual(cams.map((c) => c.mac).sort(), [V3, V4, DOORBELL, PAN3].sort());
    const box = new SecretBox(secretKey);
    for (const c of cams) {
      const d = fake.device(c.mac);
      assert.equal(c.enabled, true);
      assert.equal(c.name, d.nickname);
      assert.equal(c.uid, d.device_params.p2p_id);
      assert.equal(c.ip, d.device_params.ip);
      assert.equal(c.model, d.product_model);
      assert.equal(c.firmware, d.firmware_ver);
      assert.ok(SecretBox.isSealed(c.enrEncrypted));
      assert.ok(!c.enrEncrypted.includes(d.enr));
      assert.equal(box.decrypt(c.enrEncrypted), d.enr);
      assert.equal(entry(plan, c.mac).cameraId, c.id);
    }
    const status = await service.status();
    assert.deepEqual(
      { ...status.lastImport, at: undefined },
      { at: undefined, created: 4, updated: 0, unchanged: 0, skipped: 2 },
    );
  });

  test('an unchanged re-import writes nothing: updated_at stays', async () => {
    const before = await snapshot();
    const plan = await service.import();
    assert.deepEqual(plan.counts, { create: 0, update: 0, unchanged: 4, skip: 2 });
    assert.equal(await snapshot(), before);
  });

  test('after an IP change the camera is updated in place: same row, new IP, others untouched', async () => {
    const [v3Before] = (await rows()).filter((c) => c.mac === V3);
    const othersBefore = JSON.stringify((await rows()).filter((c) => c.mac !== V3));
    fake.device(V3).device_params.ip = '192.168.1.99';
    fake.device(V3).firmware_ver = '4.36.11.9000';

    const plan = await service.import();
    assert.deepEqual(plan.counts, { create: 0, update: 1, unchanged: 3, skip: 2 });
    assert.deepEqual(entry(plan, V3).changes, [
      { field: 'ip', from: '192.168.1.21', to: '192.168.1.99' },
      { field: 'firmware', from: '4.36.11.8391', to: '4.36.11.9000' },
    ]);
    const cams = await rows();
    assert.equal(cams.length, 4, 'no duplicate row');
    const v3 = cams.find((c) => c.mac === V3)!;
    assert.equal(v3.id, v3Before.id);
    assert.equal(v3.ip, '192.168.1.99');
    assert.equal(v3.enrEncrypted, v3Before.enrEncrypted, 'an unchanged ENR is not re-sealed');
    assert.ok(v3.updatedAt.getTime() > v3Before.updatedAt.getTime());
    assert.equal(JSON.stringify(cams.filter((c) => c.mac !== V3)), othersBefore);
  });

  test('a user rename and disable survive a re-import', async () => {
    await ds.getRepository(CameraEntity).update({ mac: V4 }, { name: 'My garage', enabled: false });
    fake.device(V4).device_params.ip = '192.168.1.122';
    await service.import();
    const v4 = (await rows()).find((c) => c.mac === V4)!;
    assert.equal(v4.name, 'My garage');
    assert.equal(v4.enabled, false);
    assert.equal(v4.ip, '192.168.1.122');
  });

  test('a new ENR is re-sealed and the plan says so without showing either key', async () => {
    const oldEnr = fake.device(DOORBELL).enr;
    const newEnr = `Fk${randomBytes(6).toString('hex')}+/`;
    fake.device(DOORBELL).enr = newEnr;
    const plan = await service.import();
    assert.deepEqual(entry(plan, DOORBELL).changes, [{ field: 'enr' }]);
    const text = JSON.stringify(plan);
    assert.ok(!text.includes(oldEnr) && !text.includes(newEnr));
    const row = (await rows()).find((c) => c.mac === DOORBELL)!;
    assert.equal(new SecretBox(secretKey).decrypt(row.enrEncrypted), newEnr);
  });

  test('--dry-run after changes reports them and changes nothing', async () => {
    fake.device(PAN3).device_params.ip = '192.168.1.124';
    fake.device(V3).product_model = 'HL_CAM4';
    const before = await snapshot();
    const count = (await rows()).length;
    const plan = await service.import({ dryRun: true });
    assert.deepEqual(plan.counts, { create: 0, update: 2, unchanged: 2, skip: 2 });
    assert.equal((await rows()).length, count);
    assert.equal(await snapshot(), before);
  });

  test('a camera that loses DTLS is skipped and its row left alone', async () => {
    const before = await snapshot();
    fake.device(PAN3).device_params.dtls = 0;
    const plan = await service.import({ dryRun: true });
    assert.equal(entry(plan, PAN3).action, 'skip');
    assert.ok(entry(plan, PAN3).cameraId);
    fake.device(PAN3).device_params.dtls = 1;
    assert.equal(await snapshot(), before);
  });

  test('an access token that expired mid-life is renewed once and the new session saved sealed', async () => {
    const before = (await store.load())!;
    fake.expireAccessTokens();
    const refreshes = fake.count('refresh');
    await service.import({ dryRun: true });
    assert.equal(fake.count('refresh') - refreshes, 1);
    const after = (await store.load())!;
    assert.notEqual(after.tokens.accessToken, before.tokens.accessToken);
    assert.ok(after.refreshedAt);
    const raw = readFileSync(store.path, 'utf8');
    for (const t of fake.issuedTokens) assert.ok(!raw.includes(t));
  });

  test('no raw ENR, token, password or API key anywhere in the database', async () => {
    const secrets = [...fake.devices.map((d) => d.enr).filter(Boolean), ...fake.issuedTokens, fake.account.password, fake.account.apiKey, fake.account.apiKeyId];
    const tables: { table_name: string }[] = await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    assert.ok(tables.some((t) => t.table_name === 'cameras'));
    for (const { table_name } of tables) {
      const dump: { row: string }[] = await ds.query(`SELECT t::text AS row FROM "${table_name}" t`);
      const text = dump.map((r) => r.row).join('\n');
      for (const s of secrets) assert.ok(!text.includes(s), `${table_name} holds a secret (${s.slice(0, 3)}…)`);
    }
  });
});
