// `POST /cloud/import` end to end: the user logs in with `wyze-nvr cloud login` (a child process, the fake
// Wyze cloud, the session sealed into DATA_DIR with SECRET_KEY), then the API, over real HTTP, PostgreSQL
// and Redis (BullMQ), imports the account's cameras as a job: GET /jobs/:id shows it active with its
// progress, then completed; GET /cameras lists the cameras without any ENR; GET /cloud/status shows the
// login and the last import, never a token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectEventually } from '@wyze-nvr/jobs/testing';
import { WyzeCloudClient } from '@wyze-nvr/wyze-cloud';
import { Client } from 'pg';
import { FakeWyzeCloud } from './fake-wyze-cloud/fake-wyze-cloud';
import { startTestApi, type TestApi } from './support/api';
import { CliProcess } from './support/cli';

let fake: FakeWyzeCloud;
let api: TestApi;

type JobBody = { id: string; name: string; state: string; progress: number; result: { counts: Record<string, number>; otherDevices: number } | null; error: string | null };
type JobRef = { jobId: string; deduplicated: boolean; statusUrl: string };
type Status = { loggedIn: boolean; email?: string; userId?: string; loggedInAt?: string; lastImport?: { created: number; updated: number; unchanged: number; skipped: number } };

/** Every secret the fake cloud knows or issued: none may appear in an API answer. */
const secrets = () => [fake.account.password, fake.account.apiKey, fake.account.apiKeyId, ...fake.devices.map((d) => d.enr).filter(Boolean), ...fake.issuedTokens];
function assertNoSecret(text: string, where: string): void {
  for (const s of secrets()) assert.ok(!text.includes(s), `${where} holds a secret (${s.slice(0, 3)}…)`);
}

before(async () => {
  fake = new FakeWyzeCloud();
  await fake.start();
  api = await startTestApi({ redis: true, cloudClient: new WyzeCloudClient({ authUrl: fake.url, apiUrl: fake.url }) });
});
after(async () => {
  await api?.close();
  await fake?.close();
});

describe('cloud import through the API', () => {
  test('before a login: status says logged out and an import is refused with 409', async () => {
    const status = await api.json<Status>('GET', '/cloud/status');
    assert.equal(status.status, 200);
    assert.deepEqual(status.body, { loggedIn: false });
    const r = await api.json<{ code: string }>('POST', '/cloud/import');
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'cloud-not-logged-in');
    assert.equal((await api.request('GET', '/jobs/cloud-import')).status, 404);
  });

  test('after `wyze-nvr cloud login`, the import job goes active (progress shown) → completed; cameras listed without ENRs', async () => {
    const a = fake.account;
    const login = new CliProcess(['cloud', 'login', '--email', a.email, '--cloud-url', fake.url], {
      CI: 'true',
      DATA_DIR: api.dataDir,
      SECRET_KEY: api.secretKey.toString('hex'),
      WYZE_PASSWORD: a.password,
      WYZE_API_KEY_ID: a.apiKeyId,
      WYZE_API_KEY: a.apiKey,
    });
    assert.equal(await login.exited, 0, login.output);
    assert.match(login.stderr, /Logged in to the Wyze cloud as nvr-tester@example\.invalid/);

    const status = await api.json<Status>('GET', '/cloud/status');
    assert.equal(status.body.loggedIn, true);
    assert.equal(status.body.email, a.email);
    assert.equal(status.body.userId, a.userId);
    assert.equal(status.body.lastImport, undefined);

    // Hold the import at the fourth camera of six (Yard pan): an uncommitted row with its MAC makes the
    // import's insert wait on the unique key, after three cameras are done.
    const holder = new Client({ connectionString: (api.ds.options as { url: string }).url });
    await holder.connect();
    let held = true;
    try {
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, model) VALUES ('hold', 'HOLD0000000000000000', 'v1:AAAA', '2CAA8E0000A4', 'HL_PAN3')`);

      const queued = await api.json<JobRef>('POST', '/cloud/import');
      assert.equal(queued.status, 202);
      assert.deepEqual(queued.body, { jobId: 'cloud-import', deduplicated: false, statusUrl: '/jobs/cloud-import' });
      await expectEventually(
        async () => {
          const j = await api.json<JobBody>('GET', queued.body.statusUrl);
          assert.equal(j.body.state, 'active');
          assert.equal(j.body.progress, 50, 'three of six cameras done');
        },
        { intervalMs: 50 },
      );
      // One import at a time: asking again while it runs is the same job.
      const again = await api.json<JobRef>('POST', '/cloud/import');
      assert.equal(again.status, 202);
      assert.equal(again.body.deduplicated, true);

      await holder.query('ROLLBACK');
      held = false;
      const done = await expectEventually(
        async () => {
          const j = await api.json<JobBody>('GET', '/jobs/cloud-import');
          assert.equal(j.body.state, 'completed', JSON.stringify(j.body));
          return j.body;
        },
        { intervalMs: 50 },
      );
      assert.equal(done.name, 'cloud-import');
      assert.equal(done.progress, 100);
      assert.deepEqual(done.result, { counts: { create: 4, update: 0, unchanged: 0, skip: 2 }, otherDevices: 1 });
    } finally {
      if (held) await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }

    const res = await api.request('GET', '/cameras');
    assert.equal(res.status, 200);
    const text = await res.text();
    const cams = JSON.parse(text) as { items?: unknown[] } | unknown[];
    const list = (Array.isArray(cams) ? cams : cams.items ?? []) as { id: number; name: string; mac: string; uid: string; model: string; ip: string | null; hasEnr: boolean }[];
    assert.deepEqual(
      list.map((c) => [c.mac, c.name, c.model, c.ip]).sort(),
      [
        ['2CAA8E0000A1', 'Porch', 'WYZE_CAKP2JFUS', '192.168.1.21'],
        ['2CAA8E0000A2', 'Garage', 'HL_CAM4', '192.168.1.22'],
        ['2CAA8E0000A3', 'Front door', 'WYZEDB3', '192.168.1.23'],
        ['2CAA8E0000A4', 'Yard pan', 'HL_PAN3', '192.168.1.24'],
      ],
    );
    for (const c of list) {
      assert.equal(c.uid, fake.device(c.mac).device_params.p2p_id);
      assert.equal(c.hasEnr, true);
      assert.deepEqual(Object.keys(c).filter((k) => /^enr/i.test(k)), [], 'no ENR field, sealed or not');
    }
    // Neither the ENRs nor their sealed form stored in the database.
    const sealed: string[] = (await api.ds.query(`SELECT enr_encrypted FROM cameras`)).map((r: { enr_encrypted: string }) => r.enr_encrypted);
    assert.equal(sealed.length, 4);
    for (const x of sealed) assert.ok(!text.includes(x), 'a sealed ENR in GET /cameras');
    assertNoSecret(text, 'GET /cameras');
    const one = await api.request('GET', `/cameras/${list[0].id}`);
    const oneText = await one.text();
    assert.equal(one.status, 200);
    for (const x of sealed) assert.ok(!oneText.includes(x), `a sealed ENR in GET /cameras/${list[0].id}`);
    assertNoSecret(oneText, `GET /cameras/${list[0].id}`);

    const after = await api.request('GET', '/cloud/status');
    const afterText = await after.text();
    assertNoSecret(afterText, 'GET /cloud/status');
    const st = JSON.parse(afterText) as Status;
    assert.equal(st.loggedIn, true);
    assert.deepEqual({ ...st.lastImport, at: undefined }, { at: undefined, created: 4, updated: 0, unchanged: 0, skipped: 2 });
  });

  test('a second import after the first completed runs again under the same id and finds nothing to change', async () => {
    const queued = await api.json<JobRef>('POST', '/cloud/import');
    assert.equal(queued.status, 202);
    assert.equal(queued.body.deduplicated, false);
    const done = await expectEventually(
      async () => {
        const j = await api.json<JobBody>('GET', '/jobs/cloud-import');
        assert.equal(j.body.state, 'completed');
        assert.equal(j.body.result?.counts.unchanged, 4);
        return j.body;
      },
      { intervalMs: 50 },
    );
    assert.deepEqual(done.result, { counts: { create: 0, update: 0, unchanged: 4, skip: 2 }, otherDevices: 1 });
    const st = await api.json<Status>('GET', '/cloud/status');
    assert.deepEqual({ ...st.body.lastImport, at: undefined }, { at: undefined, created: 0, updated: 0, unchanged: 4, skipped: 2 });
  });
});
