// Motion-triggered clips end to end: an emulated camera streams the labelled `objects` motion fixture
// (H.264 CBR, where slice headers alone miss most motion) into `wyze-nvr record`; the recorder writes events
// that match the labels; the API serves each event's clip from the keyframe at or before start − pre-roll,
// exports it, and a protected event keeps its segments through a retention run that deletes the others.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@wyze-nvr/config';
import { readFragmentedMp4 } from '@wyze-nvr/media';
import { createApiApp } from '../apps/api/src/api.app';
import { parseIsoUs } from '../apps/api/src/common/time';
import { FIXTURES } from '../apps/recorder/src/testing/fixture-media';
import { repoRoot } from './support/cli';
import { decodeErrors, eventually, metrics, metricSum, segmentRows, type EventRow, type RecorderTestEnv, type SegmentRow } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';

const S = 1_000_000;
const FIXTURE = join(repoRoot, 'bench', 'media', 'motion', 'objects.h264-cbr.264');
const LABELS = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'motion', 'labels.json'), 'utf8')) as {
  fixtures: { name: string; objects: { size: string; fromS: number; toS: number }[] }[];
};
const OBJECTS = LABELS.fixtures.find((f) => f.name === 'objects')!.objects;
/** The 60 s fixture and 2 s of its next loop (still, the first object comes at 8 s). */
const MEDIA_US = 62 * S;
const SPEED = 3;
const PRE_ROLL_US = 5 * S;
const POST_ROLL_US = 5 * S;

interface Api {
  url: string;
  app: INestApplication;
  fetch(method: string, path: string, body?: unknown): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** The API in this process over the recorder's database and recordings directory (jobs in-process). */
async function startApi(env: RecorderTestEnv): Promise<Api> {
  const token = randomBytes(16).toString('hex');
  const config = loadConfig({ DATA_DIR: join(env.dir, 'data'), RECORDINGS_DIR: env.recordings, API_TOKEN: token, DATABASE_URL: env.db.url }, { require: ['API_TOKEN'] });
  const app = await createApiApp({ config, dataSource: env.ds, secretKey: randomBytes(32), retentionIntervalMs: 0 }, false);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const f: Api['fetch'] = (method, path, body) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return {
    url,
    app,
    fetch: f,
    async json<T>(method: string, path: string, body?: unknown) {
      const res = await f(method, path, body);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

const fileOf = (env: RecorderTestEnv, path: string) => (isAbsolute(path) ? path : join(env.recordings, path));

/** Every video sample of the recorded segments: absolute time and whether it is a keyframe. */
function recordedVideo(env: RecorderTestEnv, rows: readonly SegmentRow[]): { timeUs: number; keyframe: boolean }[] {
  const out: { timeUs: number; keyframe: boolean }[] = [];
  for (const r of rows) {
    const mp4 = readFragmentedMp4(readFileSync(fileOf(env, r.path)));
    const video = mp4.tracks.find((t) => t.kind === 'video')!;
    for (const f of mp4.fragments) for (const s of f.samples) if (s.trackId === video.trackId) out.push({ timeUs: r.start_us + Math.round((s.decodeTime * 1e6) / video.timescale), keyframe: s.keyframe });
  }
  return out;
}

const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;
const iso = (us: number) => new Date(us / 1000).toISOString();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('motion-triggered clips', { timeout: 420_000 }, () => {
  let api: Api | undefined;

  before(() => {
    // Only the fixture this test needs (the script makes its six encodings, about a minute, once).
    if (!existsSync(FIXTURE)) {
      const r = spawnSync('bash', ['scripts/make-motion-fixtures.sh', 'objects'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
      assert.equal(r.status, 0, r.stderr);
    }
  });
  const scenario = recorderScenario({ video: 'h264', videoFile: relative(FIXTURES, FIXTURE), audio: 'none' }, { speed: SPEED, durationUs: MEDIA_US });
  scenario.onClose(() => api?.app.close());

  it('records events matching the labels; clips start at the keyframe at or before start − pre-roll; a protected clip survives retention', async (t) => {
    const { env, cam } = scenario;
    // Camera time follows media time (3× real time), trusted by the clock; no stall restart after the stream ends.
    const settings = { SEGMENT_SECONDS: '4', RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600', RECORDER_STALL_SECONDS: '600' };
    let openBeforeStop: EventRow[] = [];
    await scenario.withRecorder(settings, async ({ metricsUrl }) => {
      await eventually(() => cam.sent.video === cam.expected.video, 90_000, 'the camera to send the fixture');
      await eventually(async () => metricSum(await metrics(metricsUrl), 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'video' }) === cam.sent.video, 20_000, 'the recorder to receive every frame');
      // Motion at 51–55 s cannot have ended yet (no keyframe 4 s past it was sent): its row is there without an end.
      openBeforeStop = await eventually(async () => {
        const rows: EventRow[] = await env.ds.query(`SELECT * FROM events WHERE camera_id = $1 ORDER BY start_us`, [cam.id]);
        return rows.length === OBJECTS.length && rows.slice(0, -1).every((r) => r.end_us !== null) && rows;
      }, 30_000, `${OBJECTS.length} events, all but the last ended`);
      const m = await metrics(metricsUrl);
      assert.equal(metricSum(m, 'wyze_nvr_camera_motion_frames_total', { camera: String(cam.id) }), cam.sent.video, 'every frame scored');
      assert.equal(metricSum(m, 'wyze_nvr_camera_motion_errors_total', { camera: String(cam.id) }), 0);
      assert.equal(metricSum(m, 'wyze_nvr_camera_motion_picture_errors_total', { camera: String(cam.id) }), 0);
      assert.equal(metricSum(m, 'wyze_nvr_camera_motion_active', { camera: String(cam.id) }), 1);
      const detectorS = metricSum(m, 'wyze_nvr_camera_motion_detector_seconds_total', { camera: String(cam.id) });
      t.diagnostic(`detector time ${(detectorS * 1000).toFixed(1)} ms for ${MEDIA_US / S} s of video (${((detectorS * 1000 * S) / MEDIA_US).toFixed(2)} ms per camera-second)`);
    });
    assert.equal(openBeforeStop.at(-1)!.end_us, null, 'the last event was written as it started, with no end');

    // The stop ended the last event; every event overlaps its labelled interval and nothing else.
    const rows = await segmentRows(env.ds, cam.id);
    const t0 = rows[0].start_us; // the fixture's first frame (a keyframe) opened the first segment
    const events: EventRow[] = await env.ds.query(`SELECT * FROM events WHERE camera_id = $1 ORDER BY start_us`, [cam.id]);
    assert.equal(events.length, OBJECTS.length, JSON.stringify(events));
    assert.equal(events[events.length - 1].id, openBeforeStop.at(-1)!.id, 'the open row was ended, not a second one written');
    for (const [i, o] of OBJECTS.entries()) {
      const e = events[i];
      const [l0, l1] = [t0 + o.fromS * S, t0 + o.toS * S];
      assert.ok(e.end_us !== null && overlaps(e.start_us, e.end_us, l0, l1), `event ${i} [${(e.start_us - t0) / S}, ${(e.end_us! - t0) / S}) overlaps the ${o.size} object [${o.fromS}, ${o.toS})`);
      assert.equal(OBJECTS.filter((p) => overlaps(e.start_us, e.end_us!, t0 + p.fromS * S, t0 + p.toS * S)).length, 1, `event ${i} overlaps one labelled interval only`);
      assert.deepEqual([e.pre_roll_us, e.post_roll_us], [PRE_ROLL_US, POST_ROLL_US]);
      assert.ok(e.peak_score >= 1, `event ${i} peak ${e.peak_score}`);
      t.diagnostic(`${o.size} [${o.fromS}, ${o.toS}) s → event [${((e.start_us - t0) / S).toFixed(2)}, ${((e.end_us! - t0) / S).toFixed(2)}) s, peak ${e.peak_score.toFixed(2)}`);
    }

    api = await startApi(env);
    const video = recordedVideo(env, rows);
    assert.equal(video.length, cam.sent.video, 'every frame is in the segments');

    // The list, paged, with ISO times.
    const window = `camera=${cam.id}&from=${iso(t0 - 3600 * S)}&to=${iso(t0 + 3600 * S)}`;
    const p1 = await api.json<{ items: { id: number; start: string; end: string }[]; nextCursor: string }>('GET', `/events?${window}&limit=3`);
    assert.equal(p1.status, 200);
    const p2 = await api.json<{ items: { id: number }[]; nextCursor: string | null }>('GET', `/events?${window}&limit=3&cursor=${p1.body.nextCursor}`);
    assert.deepEqual([...p1.body.items, ...p2.body.items].map((e) => e.id), events.map((e) => e.id));
    assert.equal(p2.body.nextCursor, null);
    assert.equal(parseIsoUs(p1.body.items[0].start), events[0].start_us);

    // The medium object's event: its clip, exact to the keyframe.
    const ev = events[1];
    const clipFrom = ev.start_us - ev.pre_roll_us;
    const clipTo = ev.end_us! + ev.post_roll_us;
    const keyAtOrBefore = video.filter((s) => s.keyframe && s.timeUs <= clipFrom).at(-1)!.timeUs;
    const res = await api.fetch('GET', `/events/${ev.id}/clip.mp4`);
    assert.equal(res.status, 200, await res.clone().text());
    const clip = new Uint8Array(await res.arrayBuffer());
    const startUs = parseIsoUs(res.headers.get('x-start-time')!)!;
    assert.equal(startUs, keyAtOrBefore, 'the clip starts at the keyframe at or before start − pre-roll');
    assert.ok(startUs <= clipFrom && clipFrom - startUs < 2 * S, `${(clipFrom - startUs) / S} s before start − pre-roll`);
    const segmentStart = rows.filter((r) => r.start_us <= startUs).at(-1)!.start_us;
    const clipFile = join(env.dir, 'clip.mp4');
    writeFileSync(clipFile, clip);
    assert.equal(decodeErrors(clipFile), '', 'the clip decodes without a message');
    const parsed = readFragmentedMp4(clip);
    const samples = parsed.fragments.flatMap((f) => f.samples);
    assert.equal(samples[0].keyframe, true);
    assert.equal(samples.length, video.filter((s) => s.timeUs >= startUs && s.timeUs < clipTo).length, 'every frame of [keyframe, end + post-roll)');
    t.diagnostic(`clip of event ${ev.id}: ${(clipFrom - startUs) / S} s before start − pre-roll (its segment starts ${(startUs - segmentStart) / S} s earlier), ${samples.length} frames, ${clip.length} bytes`);

    // Its export through the exports queue is the same footage as a file.
    const exp = await api.json<{ id: string; from: string; to: string }>('POST', `/events/${ev.id}/export`);
    assert.equal(exp.status, 202, JSON.stringify(exp.body));
    assert.deepEqual([parseIsoUs(exp.body.from), parseIsoUs(exp.body.to)], [clipFrom, clipTo]);
    await eventually(async () => (await api!.json<{ state: string }>('GET', `/exports/${exp.body.id}`)).body.state === 'completed', 60_000, 'the export');
    const exported = new Uint8Array(await (await api.fetch('GET', `/exports/${exp.body.id}/file`)).arrayBuffer());
    assert.equal(readFragmentedMp4(exported).fragments.flatMap((f) => f.samples).length, samples.length);

    // Protected, it keeps its segments through a retention run that deletes every other one.
    const prot = await api.json<{ protected: boolean }>('POST', `/events/${ev.id}/protect`);
    assert.deepEqual([prot.status, prot.body.protected], [200, true]);
    const keep = rows.filter((r) => overlaps(r.start_us, r.end_us, clipFrom, clipTo)).map((r) => r.path);
    const neighbours = rows.filter((r) => !keep.includes(r.path));
    assert.ok(neighbours.some((r) => r.end_us <= clipFrom) && neighbours.some((r) => r.start_us >= clipTo), 'segments on both sides');
    assert.equal((await api.json('PUT', `/cameras/${cam.id}/retention`, { maxBytes: 1 })).status, 200);
    const run = await api.json<{ jobId: string }>('POST', '/retention/run');
    assert.equal(run.status, 202);
    const job = await eventually(async () => {
      const j = await api!.json<{ state: string; result: { segmentsDeleted: number } }>('GET', `/jobs/${run.body.jobId}`);
      return ['completed', 'failed'].includes(j.body.state) && j.body;
    }, 60_000, 'the retention run');
    assert.equal(job.state, 'completed');
    assert.equal(job.result.segmentsDeleted, neighbours.length);
    t.diagnostic(`retention deleted ${neighbours.length} of ${rows.length} segments, kept the ${keep.length} of the protected clip`);
    const left = await segmentRows(env.ds, cam.id);
    assert.deepEqual(left.map((r) => r.path), keep);
    for (const r of neighbours) assert.equal(existsSync(fileOf(env, r.path)), false, `${r.path} deleted`);
    const again = await api.fetch('GET', `/events/${ev.id}/clip.mp4`);
    assert.equal(again.status, 200);
    assert.equal(sha(new Uint8Array(await again.arrayBuffer())), sha(clip), 'the same clip after retention');
    // An unprotected event far from it has lost its footage.
    const gone = await api.json<{ code: string }>('GET', `/events/${events[3].id}/clip.mp4`);
    assert.deepEqual([gone.status, gone.body.code], [422, 'no-recordings']);
  });
});
