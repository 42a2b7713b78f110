// Bad input changes nothing and gets the right 4xx; auth, request ids, request log, ENR write-only,
// OpenAPI served and the committed spec current, /metrics. Real HTTP and PostgreSQL, in-process jobs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SecretBox } from '@wyze-nvr/config';
import { generateOpenApiDocument, OPENAPI_FILE, serializeOpenApi } from '../apps/api/src/openapi/generate-openapi';
import { formatIsoUs } from '../apps/api/src/common/time';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { writeRecording } from './support/api-recordings';

const T0 = 1_760_000_000_000_000;
const S = 1_000_000;
const ENR = 'enr-Secret-0123456789abcdef';
let api: TestApi;
let cam: number;

before(async () => {
  api = await startTestApi();
  cam = (await addCamera(api.ds, 1)).id;
  await writeRecording(api.ds, api.recordingsDir, cam, { startUs: T0, segments: 1, framesEach: 40 });
});
after(async () => api?.close());

/** Every row of every table the API writes, as text: what "nothing changed" compares. */
async function snapshot(): Promise<string> {
  const out: unknown[] = [];
  for (const t of ['cameras', 'segments', 'gaps', 'events', 'exports', 'retention_policies', 'segment_deletions']) {
    out.push(t, await api.ds.query(`SELECT x::text AS row FROM ${t} x ORDER BY 1`));
  }
  return JSON.stringify(out);
}

const iso = formatIsoUs;
const good = { name: 'porch', uid: 'ABCDEFGHJKLMNPRSTUV1', enr: ENR, mac: '2c:aa:8e:00:00:b1', model: 'WYZE_CAKP2JFUS' };

describe('bad input', () => {
  const cases: { name: string; method: string; path: string; body?: unknown; raw?: string; token?: string | null; status: number; code: string; field?: string }[] = [
    { name: 'missing token', method: 'GET', path: '/cameras', token: null, status: 401, code: 'unauthorized' },
    { name: 'bad token', method: 'GET', path: '/cameras', token: 'x'.repeat(48), status: 401, code: 'unauthorized' },
    { name: 'bad token on a write', method: 'POST', path: '/cameras', body: good, token: 'nope', status: 401, code: 'unauthorized' },
    { name: 'date without Z', method: 'GET', path: `/cameras/1/recordings?from=2025-10-09T08:53:20&to=${iso(T0 + S)}`, status: 400, code: 'validation-failed', field: 'from' },
    { name: 'date with an offset', method: 'GET', path: `/cameras/1/coverage?from=${iso(T0)}&to=2025-10-09T10:53:20%2B02:00`, status: 400, code: 'validation-failed', field: 'to' },
    { name: 'impossible date', method: 'GET', path: `/cameras/1/recordings?from=2025-02-30T00:00:00Z&to=${iso(T0)}`, status: 400, code: 'validation-failed', field: 'from' },
    { name: 'missing to', method: 'GET', path: `/cameras/1/video.mp4?from=${iso(T0)}`, status: 400, code: 'validation-failed', field: 'to' },
    { name: 'all cameras’ coverage without from', method: 'GET', path: `/coverage?to=${iso(T0)}`, status: 400, code: 'validation-failed', field: 'from' },
    { name: 'all cameras’ coverage over 31 days', method: 'GET', path: `/coverage?from=${iso(T0)}&to=${iso(T0 + 32 * 86_400 * S)}`, status: 400, code: 'range-too-long', field: 'to' },
    { name: 'from = to', method: 'GET', path: `/cameras/1/video.mp4?from=${iso(T0)}&to=${iso(T0)}`, status: 400, code: 'invalid-range', field: 'to' },
    { name: 'from > to', method: 'GET', path: `/cameras/1/recordings?from=${iso(T0 + S)}&to=${iso(T0)}`, status: 400, code: 'invalid-range', field: 'to' },
    { name: 'oversized playback range', method: 'GET', path: `/cameras/1/video.mp4?from=${iso(T0)}&to=${iso(T0 + 25 * 3600 * S)}`, status: 400, code: 'range-too-long', field: 'to' },
    { name: 'oversized export', method: 'POST', path: '/exports', body: { camera: 1, from: iso(T0), to: iso(T0 + 25 * 3600 * S) }, status: 400, code: 'range-too-long' },
    { name: 'unknown query field', method: 'GET', path: `/cameras/1/recordings?from=${iso(T0)}&to=${iso(T0 + S)}&sort=desc`, status: 400, code: 'validation-failed', field: 'sort' },
    { name: 'limit out of bounds', method: 'GET', path: `/cameras?limit=0`, status: 400, code: 'validation-failed', field: 'limit' },
    { name: 'forged cursor', method: 'GET', path: `/cameras?cursor=eyJhIjoxfQ`, status: 400, code: 'validation-failed', field: 'cursor' },
    { name: 'unknown camera', method: 'GET', path: '/cameras/999', status: 404, code: 'camera-not-found' },
    { name: 'unknown camera in recordings', method: 'GET', path: `/cameras/999/recordings?from=${iso(T0)}&to=${iso(T0 + S)}`, status: 404, code: 'camera-not-found' },
    { name: 'unknown camera in an export', method: 'POST', path: '/exports', body: { camera: 999, from: iso(T0), to: iso(T0 + S) }, status: 404, code: 'camera-not-found' },
    { name: 'export of a range without footage', method: 'POST', path: '/exports', body: { camera: 1, from: iso(T0 - 10 * S), to: iso(T0 - 5 * S) }, status: 422, code: 'no-recordings' },
    { name: 'path-like camera id', method: 'GET', path: '/cameras/..%2F..%2Fetc%2Fpasswd', status: 400, code: 'validation-failed', field: 'id' },
    { name: 'path-like segment id', method: 'GET', path: '/segments/1%2F..%2F..%2Fsecret/file', status: 400, code: 'validation-failed', field: 'id' },
    { name: 'negative id', method: 'DELETE', path: '/cameras/-1', status: 400, code: 'validation-failed', field: 'id' },
    { name: 'huge id', method: 'GET', path: '/cameras/99999999999', status: 400, code: 'validation-failed', field: 'id' },
    { name: 'export id not a uuid', method: 'DELETE', path: '/exports/..%2Fapi-token', status: 400, code: 'validation-failed', field: 'id' },
    { name: 'unknown export', method: 'GET', path: '/exports/8b0e7f4e-8f5f-4c43-9d36-8a2ef4f3f0aa', status: 404, code: 'export-not-found' },
    { name: 'bad JSON', method: 'POST', path: '/cameras', raw: '{"name": "x",', status: 400, code: 'invalid-json' },
    { name: 'ENR as a number', method: 'POST', path: '/cameras', body: { ...good, enr: 12345678 }, status: 400, code: 'validation-failed', field: 'enr' },
    { name: 'ENR as an object', method: 'PATCH', path: '/cameras/1', body: { enr: { v: 'x' } }, status: 400, code: 'validation-failed', field: 'enr' },
    { name: 'empty ENR', method: 'POST', path: '/cameras', body: { ...good, enr: '' }, status: 400, code: 'validation-failed', field: 'enr' },
    { name: 'unknown body field', method: 'POST', path: '/cameras', body: { ...good, admin: true }, status: 400, code: 'validation-failed', field: 'admin' },
    { name: 'enrEncrypted smuggled in', method: 'PATCH', path: '/cameras/1', body: { enrEncrypted: 'v1:xxxx' }, status: 400, code: 'validation-failed', field: 'enrEncrypted' },
    { name: 'bad MAC', method: 'POST', path: '/cameras', body: { ...good, mac: 'zz:zz' }, status: 400, code: 'validation-failed', field: 'mac' },
    { name: 'port out of range', method: 'PATCH', path: '/cameras/1', body: { port: 70000 }, status: 400, code: 'validation-failed', field: 'port' },
    { name: 'null name', method: 'PATCH', path: '/cameras/1', body: { name: null }, status: 400, code: 'validation-failed', field: 'name' },
    { name: 'duplicate MAC', method: 'POST', path: '/cameras', body: { ...good, mac: '2CAA8E000001' }, status: 409, code: 'camera-exists', field: 'mac' },
    { name: 'camera with footage deleted', method: 'DELETE', path: '/cameras/1', status: 409, code: 'camera-in-use' },
    { name: 'negative retention age', method: 'PUT', path: '/retention/policies/global', body: { maxAgeSeconds: -5 }, status: 400, code: 'validation-failed', field: 'maxAgeSeconds' },
    { name: 'free-space floor on a camera policy', method: 'PUT', path: '/cameras/1/retention', body: { minFreeBytes: 5 }, status: 400, code: 'validation-failed', field: 'minFreeBytes' },
    { name: 'export camera as a string', method: 'POST', path: '/exports', body: { camera: '1', from: iso(T0), to: iso(T0 + S) }, status: 400, code: 'validation-failed', field: 'camera' },
    { name: 'unknown job', method: 'GET', path: '/jobs/nope', status: 404, code: 'job-not-found' },
    { name: 'cloud import while not logged in', method: 'POST', path: '/cloud/import', status: 409, code: 'cloud-not-logged-in' },
  ];

  test(`${cases.length} malformed requests: each the right 4xx with field and reason, and nothing changes`, async () => {
    const before = await snapshot();
    for (const c of cases) {
      const res = await api.request(c.method, c.path, { body: c.body, rawBody: c.raw, token: c.token });
      const text = await res.text();
      assert.equal(res.status, c.status, `${c.name}: ${text}`);
      const body = JSON.parse(text) as { code: string; message: string; errors?: { field: string; reason: string }[]; requestId: string };
      assert.equal(body.code, c.code, `${c.name}: ${text}`);
      assert.equal(typeof body.message, 'string');
      assert.equal(body.requestId, res.headers.get('x-request-id'), c.name);
      if (c.field) assert.ok(body.errors?.some((e) => e.field === c.field && e.reason.length > 0), `${c.name}: ${text}`);
      assert.doesNotMatch(text, /at \S+ \(|node_modules|\/work\/|enr-Secret|v1:/, `${c.name}: no stack, path or secret`);
    }
    assert.equal(await snapshot(), before);
    assert.ok(cases.length >= 20);
  });
});

describe('cameras', () => {
  test('the ENR is write-only: sealed in the row, never in an answer or a log line', async () => {
    const created = await api.request('POST', '/cameras', { body: good });
    const text = await created.text();
    assert.equal(created.status, 201, text);
    const cam2 = JSON.parse(text) as { id: number; mac: string; hasEnr: boolean; status: { state: string } };
    assert.equal(cam2.mac, '2CAA8E0000B1');
    assert.equal(cam2.hasEnr, true);
    assert.equal(cam2.status.state, 'idle');
    const [row] = await api.ds.query(`SELECT enr_encrypted FROM cameras WHERE id = $1`, [cam2.id]);
    assert.equal(new SecretBox(api.secretKey).decrypt(row.enr_encrypted), ENR);
    const patched = await api.request('PATCH', `/cameras/${cam2.id}`, { body: { enr: `${ENR}-2`, name: 'front' } });
    const listed = await api.request('GET', '/cameras');
    const got = await api.request('GET', `/cameras/${cam2.id}`);
    const disabled = await api.json<{ enabled: boolean; status: { state: string } }>('POST', `/cameras/${cam2.id}/disable`);
    assert.equal(disabled.body.enabled, false);
    assert.equal(disabled.body.status.state, 'disabled');
    for (const r of [patched, listed, got]) {
      assert.equal(r.status, 200);
      assert.doesNotMatch(await r.text(), /enr-Secret|enrEncrypted|v1:/);
    }
    assert.equal((await api.request('DELETE', `/cameras/${cam2.id}`)).status, 204);
    assert.ok(api.logs.length > 0);
    assert.doesNotMatch(api.logs.join(''), /enr-Secret/);
  });
});

describe('http', () => {
  test('request ids are echoed, and each request is logged once with its id, route and status', async () => {
    const res = await api.request('GET', `/cameras/${cam}`, { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(res.headers.get('x-request-id'), 'trace-123');
    await res.text();
    const lines = api.logs.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'trace-123');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].route, '/cameras/:id');
    assert.equal(lines[0].status, 200);
    assert.doesNotMatch(api.logs.join(''), new RegExp(api.token));
  });

  test('health is public; metrics needs the token and shows requests by route and status', async () => {
    assert.equal((await api.request('GET', '/health', { token: null })).status, 200);
    assert.equal((await api.request('GET', '/metrics', { token: null })).status, 401);
    const m = await api.request('GET', '/metrics');
    assert.equal(m.status, 200);
    const text = await m.text();
    assert.match(text, /nvr_http_requests_total\{method="GET",route="\/cameras\/:id",status="200"\} \d+/);
    assert.match(text, /nvr_http_request_duration_seconds_bucket\{method="GET",route="\/cameras\/:id",status="200",le="\+Inf"\} \d+/);
    assert.match(text, /nvr_jobs_pending\{queue="export"\} 0/);
    assert.match(text, /nvr_recordings_bytes\{camera="1"\} \d+/);
  });

  test('OpenAPI is served at /api/docs and the committed docs/openapi.json is current', async () => {
    const served = await api.request('GET', '/api/docs/openapi.json', { token: null });
    assert.equal(served.status, 200);
    const doc = await generateOpenApiDocument();
    assert.equal(
      readFileSync(OPENAPI_FILE, 'utf8'),
      serializeOpenApi(doc),
      'docs/openapi.json is stale: run node -r ./scripts/register.js apps/api/src/openapi/generate-openapi.ts',
    );
    assert.ok(doc.paths['/cameras/{id}/video.mp4']);
  });
});
