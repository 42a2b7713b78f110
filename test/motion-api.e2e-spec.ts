// The events API over HTTP and a real PostgreSQL: listing by camera and window (an event in progress
// included), paging, a clip of an event still in progress, protect/unprotect, export of a clip without
// footage, and every malformed or unknown request answered 400 (field, reason) or 404 without a change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEntity } from '@wyze-nvr/db';
import { readFragmentedMp4 } from '@wyze-nvr/media';
import { parseIsoUs } from '../apps/api/src/common/time';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { writeRecording } from './support/api-recordings';

const S = 1_000_000;
const NOW_MS = 1_760_003_600_000;
const NOW_US = NOW_MS * 1000;
const T0 = NOW_US - 600 * S; // ten minutes ago
const iso = (us: number) => new Date(us / 1000).toISOString();

let api: TestApi;
let camA: number;
let camB: number;
const ids: Record<string, number> = {};

before(async () => {
  api = await startTestApi({ now: () => NOW_MS });
  camA = (await addCamera(api.ds, 1)).id;
  camB = (await addCamera(api.ds, 2)).id;
  const repo = api.ds.getRepository(EventEntity);
  const add = async (name: string, values: Partial<EventEntity>) => (ids[name] = (await repo.save(repo.create({ preRollUs: 5 * S, postRollUs: 5 * S, ...values }))).id);
  await add('a1', { cameraId: camA, startUs: T0 + 10 * S, endUs: T0 + 20 * S, peakScore: 3 });
  await add('a2', { cameraId: camA, startUs: T0 + 100 * S, endUs: T0 + 110 * S, peakScore: 2 });
  await add('b1', { cameraId: camB, startUs: T0 + 50 * S, endUs: T0 + 55 * S, peakScore: 1.5 });
  // Motion still going on camera b (written as it started: no end yet).
  await add('b2', { cameraId: camB, startUs: T0 + 300 * S, endUs: null, preRollUs: 2 * S });
  // Camera b's footage around the event in progress: 20 s from T0 + 290 s, 2 s segments.
  await writeRecording(api.ds, api.recordingsDir, camB, { startUs: T0 + 290 * S, segments: 10, framesEach: 40 });
});
after(async () => api?.close());

type Page = { items: { id: number; camera: number; start: string; end: string | null; clipFrom: string; clipTo: string | null; protected: boolean; peakScore: number }[]; nextCursor: string | null };

describe('events API', () => {
  test('lists by camera and window, oldest first, with an event in progress in every window after its start', async () => {
    const all = await api.json<Page>('GET', `/events?from=${iso(T0)}&to=${iso(T0 + 3600 * S)}`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.items.map((e) => e.id), [ids.a1, ids.b1, ids.a2, ids.b2]);
    const a = await api.json<Page>('GET', `/events?camera=${camA}&from=${iso(T0)}&to=${iso(T0 + 3600 * S)}`);
    assert.deepEqual(a.body.items.map((e) => e.id), [ids.a1, ids.a2]);
    const late = await api.json<Page>('GET', `/events?camera=${camB}&from=${iso(T0 + 5000 * S)}&to=${iso(T0 + 5001 * S)}`);
    assert.deepEqual(late.body.items.map((e) => [e.id, e.end, e.clipTo]), [[ids.b2, null, null]]);
    // Half-open: an event ending exactly at `from` is not in [from, to).
    const after = await api.json<Page>('GET', `/events?camera=${camA}&from=${iso(T0 + 20 * S)}&to=${iso(T0 + 100 * S)}`);
    assert.deepEqual(after.body.items, []);

    const first = all.body.items[0];
    assert.deepEqual(
      [first.camera, parseIsoUs(first.start), parseIsoUs(first.end!), parseIsoUs(first.clipFrom), parseIsoUs(first.clipTo!), first.peakScore, first.protected],
      [camA, T0 + 10 * S, T0 + 20 * S, T0 + 5 * S, T0 + 25 * S, 3, false],
    );
  });

  test('pages with an opaque cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await api.json<Page>('GET', `/events?from=${iso(T0)}&to=${iso(T0 + 3600 * S)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((e) => e.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, [ids.a1, ids.b1, ids.a2, ids.b2]);
    assert.equal(pages, 4);
  });

  test('the clip of an event in progress runs from the keyframe at or before start − pre-roll to now', async () => {
    const res = await api.request('GET', `/events/${ids.b2}/clip.mp4`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    const startUs = parseIsoUs(res.headers.get('x-start-time')!)!;
    const clip = new Uint8Array(await res.arrayBuffer());
    const samples = readFragmentedMp4(clip).fragments.flatMap((f) => f.samples);
    assert.equal(samples[0].keyframe, true);
    assert.ok(startUs <= T0 + 298 * S && startUs > T0 + 290 * S, `starts ${(startUs - T0) / S} s`);
    // Footage ends at T0 + 310 s, before now: everything from the keyframe on (20 fps).
    assert.equal(samples.length, (T0 + 310 * S - startUs) / 50_000);
  });

  test('protect and unprotect set the flag the retention sweep reads', async () => {
    const p = await api.json<{ id: number; protected: boolean }>('POST', `/events/${ids.a1}/protect`);
    assert.deepEqual([p.status, p.body.id, p.body.protected], [200, ids.a1, true]);
    assert.equal((await api.ds.getRepository(EventEntity).findOneByOrFail({ id: ids.a1 })).protected, true);
    assert.equal((await api.json<{ protected: boolean }>('GET', `/events/${ids.a1}`)).body.protected, true);
    const u = await api.json<{ protected: boolean }>('POST', `/events/${ids.a1}/unprotect`);
    assert.deepEqual([u.status, u.body.protected], [200, false]);
    assert.equal((await api.ds.getRepository(EventEntity).findOneByOrFail({ id: ids.a1 })).protected, false);
  });

  test('an event without footage has no clip and no export (422), and no export row is left', async () => {
    const clip = await api.json<{ code: string }>('GET', `/events/${ids.a1}/clip.mp4`);
    assert.deepEqual([clip.status, clip.body.code], [422, 'no-recordings']);
    const exp = await api.json<{ code: string }>('POST', `/events/${ids.a1}/export`);
    assert.deepEqual([exp.status, exp.body.code], [422, 'no-recordings']);
    assert.equal((await api.ds.query(`SELECT count(*)::int AS n FROM exports`))[0].n, 0);
  });

  test('malformed requests are 400 with the field and reason; unknown events and cameras are 404; nothing changes', async () => {
    const window = `from=${iso(T0)}&to=${iso(T0 + 60 * S)}`;
    const bad: [string, string, string][] = [
      ['GET', '/events/abc', 'id'],
      ['GET', '/events/0', 'id'],
      ['GET', '/events/1.5', 'id'],
      ['GET', '/events/abc/clip.mp4', 'id'],
      ['POST', '/events/-1/protect', 'id'],
      ['POST', '/events/abc/unprotect', 'id'],
      ['POST', '/events/abc/export', 'id'],
      ['GET', '/events', 'from'],
      ['GET', `/events?from=${iso(T0)}`, 'to'],
      ['GET', `/events?from=2025-01-01T00:00:00&to=${iso(T0)}`, 'from'],
      ['GET', `/events?camera=abc&${window}`, 'camera'],
      ['GET', `/events?camera=0&${window}`, 'camera'],
      ['GET', `/events?${window}&limit=0`, 'limit'],
      ['GET', `/events?${window}&limit=501`, 'limit'],
      ['GET', `/events?${window}&cursor=garbage`, 'cursor'],
      ['GET', `/events?${window}&kind=motion`, 'kind'],
      ['GET', `/events?from=${iso(T0)}&to=${iso(T0)}`, 'to'],
      ['GET', `/events?from=${iso(T0)}&to=${iso(T0 + 32 * 86400 * S)}`, 'to'],
    ];
    const before = await api.ds.query(`SELECT id, protected, updated_at FROM events ORDER BY id`);
    for (const [method, path, field] of bad) {
      const r = await api.json<{ code: string; errors: { field: string; reason: string }[] }>(method, path);
      assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.ok(r.body.errors.some((e) => e.field === field && e.reason.length > 0), `${method} ${path}: ${JSON.stringify(r.body.errors)}`);
    }
    for (const [method, path] of [
      ['GET', '/events/999999'],
      ['GET', '/events/999999/clip.mp4'],
      ['POST', '/events/999999/protect'],
      ['POST', '/events/999999/unprotect'],
      ['POST', '/events/999999/export'],
    ]) {
      const r = await api.json<{ code: string }>(method, path);
      assert.deepEqual([r.status, r.body.code], [404, 'not-found'], `${method} ${path}`);
    }
    const cam = await api.json<{ code: string }>('GET', `/events?camera=999&${window}`);
    assert.deepEqual([cam.status, cam.body.code], [404, 'camera-not-found']);
    assert.deepEqual(await api.ds.query(`SELECT id, protected, updated_at FROM events ORDER BY id`), before);
  });
});
