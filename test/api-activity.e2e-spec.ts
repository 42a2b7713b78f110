// Motion activity end to end: an emulated camera streams the labelled `objects` motion fixture (H.264 CBR,
// where keyframe comparisons carry most of the motion) into `wyze-nvr record`; the recorder stores a level
// per GOP; GET /cameras/:id/activity answers high levels over the labelled objects and low ones between
// them, and refuses malformed requests with 400 (field, reason), an unknown camera with 404.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseIsoUs } from '../apps/api/src/common/time';
import { FIXTURES } from '../apps/recorder/src/testing/fixture-media';
import { startTestApi, type TestApi } from './support/api';
import { repoRoot } from './support/cli';
import { eventually, metrics, metricSum, segmentRows } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';

const S = 1_000_000;
const FIXTURE = join(repoRoot, 'bench', 'media', 'motion', 'objects.h264-cbr.264');
const LABELS = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'motion', 'labels.json'), 'utf8')) as {
  fixtures: { name: string; objects: { size: string; fromS: number; toS: number }[] }[];
};
const OBJECTS = LABELS.fixtures.find((f) => f.name === 'objects')!.objects;
const MEDIA_US = 62 * S;
const iso = (us: number) => new Date(us / 1000).toISOString();

interface Activity {
  from: string;
  to: string;
  bucketMs: number;
  threshold: number;
  levels: (number | null)[];
}

interface ApiError {
  code: string;
  message: string;
  errors?: { field: string; reason: string }[];
}

describe('motion activity per GOP', { timeout: 420_000 }, () => {
  let api: TestApi | undefined;

  before(() => {
    if (!existsSync(FIXTURE)) {
      const r = spawnSync('bash', ['scripts/make-motion-fixtures.sh', 'objects'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
      assert.equal(r.status, 0, r.stderr);
    }
  });
  const scenario = recorderScenario({ video: 'h264', videoFile: relative(FIXTURES, FIXTURE), audio: 'none' }, { speed: 3, durationUs: MEDIA_US });
  scenario.onClose(async () => {
    // The scenario owns the database and directories; only the API's own app and connection go here.
    await api?.app.close();
    await api?.ds.destroy();
  });

  it('levels are high over the labelled objects and low between them; bad parameters are 400, an unknown camera 404', async (t) => {
    const { env, cam } = scenario;
    const settings = { SEGMENT_SECONDS: '4', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600', RECORDER_STALL_SECONDS: '600' };
    await scenario.withRecorder(settings, async ({ metricsUrl }) => {
      await eventually(() => cam.sent.video === cam.expected.video, 90_000, 'the camera to send the fixture');
      await eventually(async () => metricSum(await metrics(metricsUrl), 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'video' }) === cam.sent.video, 20_000, 'the recorder to receive every frame');
    });
    const rows = await segmentRows(env.ds, cam.id);
    const t0 = rows[0].start_us; // the fixture's first frame (a keyframe) opened the first segment
    api = await startTestApi({ existing: { db: env.db, dataDir: env.dir, recordingsDir: env.recordings } });

    // One bucket per 2 s GOP of the fixture (keyframes at t0 + 2k s), [t0, t0 + 62 s).
    const res = await api.json<Activity>('GET', `/cameras/${cam.id}/activity?from=${iso(t0)}&to=${iso(t0 + MEDIA_US)}&buckets=31`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const a = res.body;
    assert.deepEqual([parseIsoUs(a.from), parseIsoUs(a.to), a.bucketMs, a.threshold, a.levels.length], [parseIsoUs(iso(t0)), parseIsoUs(iso(t0 + MEDIA_US)), 2000, 50, 31]);
    t.diagnostic(`levels per 2 s: ${a.levels.map((l) => (l === null ? '·' : l)).join(' ')}`);
    const level = (s: number) => a.levels[Math.floor(s / 2)];
    for (const o of OBJECTS) {
      const inside = a.levels.slice(Math.ceil(o.fromS / 2), Math.floor(o.toS / 2));
      assert.ok(Math.max(...inside.map((l) => l ?? 0)) >= a.threshold, `the ${o.size} object [${o.fromS}, ${o.toS}) s reaches the threshold: ${inside}`);
    }
    // Still buckets: 2 s or more from every object, after the detector's warm-up.
    const still = [4, 16, 18, 30, 32, 45, 47, 57, 59].filter((s) => OBJECTS.every((o) => s + 2 <= o.fromS - 2 || s >= o.toS + 2));
    assert.equal(still.length, 9);
    for (const s of still) assert.ok(level(s) !== null && level(s)! < a.threshold, `[${s}, ${s + 2}) s is below the threshold: ${level(s)}`);
    // No footage, no level: an hour later is all null.
    const later = await api.json<Activity>('GET', `/cameras/${cam.id}/activity?from=${iso(t0 + 3600 * S)}&to=${iso(t0 + 3660 * S)}`);
    assert.deepEqual([later.body.bucketMs, later.body.levels.length, later.body.levels.every((l) => l === null)], [1000, 60, true]);
    // One bucket over everything: the highest level.
    const one = await api.json<Activity>('GET', `/cameras/${cam.id}/activity?from=${iso(t0 - 3600 * S)}&to=${iso(t0 + 3600 * S)}&buckets=1`);
    assert.deepEqual(one.body.levels, [Math.max(...a.levels.map((l) => l ?? 0))]);

    const from = iso(t0);
    const to = iso(t0 + MEDIA_US);
    const bad: [string, string][] = [
      [`from=${from}&to=${to}&buckets=0`, 'buckets'],
      [`from=${from}&to=${to}&buckets=5001`, 'buckets'],
      [`from=${from}&to=${to}&buckets=ten`, 'buckets'],
      [`from=${from}&to=${to}&buckets=1.5`, 'buckets'],
      [`from=${to}&to=${from}`, 'to'],
      [`from=${from}&to=${from}`, 'to'],
      [`from=${iso(t0 - 32 * 86_400 * S)}&to=${to}`, 'to'],
      [`to=${to}`, 'from'],
      [`from=yesterday&to=${to}`, 'from'],
      [`from=${from}&to=${to}&camera=1`, 'camera'],
    ];
    for (const [query, field] of bad) {
      const r: { status: number; body: ApiError } = await api.json<ApiError>('GET', `/cameras/${cam.id}/activity?${query}`);
      assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.body)}`);
      assert.ok(r.body.errors?.some((e) => e.field === field), `${query} names ${field}: ${JSON.stringify(r.body)}`);
    }
    const unknown = await api.json<ApiError>('GET', `/cameras/${cam.id + 1000}/activity?from=${from}&to=${to}`);
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'camera-not-found']);
    assert.equal((await api.request('GET', `/cameras/${cam.id}/activity?from=${from}&to=${to}`, { token: null })).status, 401);
  });
});
