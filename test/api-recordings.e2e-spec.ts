// Browsing recordings, coverage, range playback and exports over real HTTP, PostgreSQL and Redis (BullMQ),
// on footage `wyze-nvr record` recorded from an emulated camera (@wyze-nvr/camera-sim): 30 s of the H.264
// 720p20 + AAC fixture (keyframe every 2 s) at 6x, SEGMENT_SECONDS=4, so 4 s segments (the last 2 s).
// The recorder is stopped before the API starts over its database and recordings dir. Only the
// resolution-change test adds segments of its own (direct writer: two resolutions back to back).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GapEntity } from '@wyze-nvr/db';
import { expectEventually, gate } from '@wyze-nvr/jobs/testing';
import { MediaFileRepository, type FileReader } from '../apps/api/src/repositories/media-file.repository';
import { formatIsoUs } from '../apps/api/src/common/time';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { checkRangeMp4, recordedSamples } from './support/api-media-checks';
import { FRAME_US, recordFromEmulator, sampleOfAccessUnit, writeSegment, type EmulatedRecording } from './support/api-recordings';

const S = 1_000_000;
const MEDIA_SECONDS = 30;
let api: TestApi;
let cam: number;
let rec: EmulatedRecording;
/** Start of the footage: the first keyframe the camera sent (camera time, not a whole second). */
let T0: number;
/** End of the footage. */
let T_END: number;
let sent: { timeUs: number; sample: Buffer }[];
const iso = formatIsoUs;
const ISO_US = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

before(async () => {
  const footage = await recordFromEmulator({ mediaSeconds: MEDIA_SECONDS, segmentSeconds: 4, speed: 6 });
  rec = footage.cameras[0];
  cam = rec.cameraId;
  T0 = rec.segments[0].row.startUs;
  T_END = rec.segments[rec.segments.length - 1].row.endUs;
  sent = rec.sentVideo.map((f) => ({ timeUs: f.timeUs, sample: sampleOfAccessUnit('h264', f.data) }));
  api = await startTestApi({ redis: true, jobs: { concurrency: { export: 1 }, exportBackoffMs: 10 }, existing: footage });
  // An 8 s outage after the footage.
  await api.ds.getRepository(GapEntity).insert({ cameraId: cam, startUs: T_END, endUs: T_END + 8 * S, reason: 'offline' });
});
after(async () => api?.close());

const segs = () => rec.segments;
const recorded = () => segs().map((s) => ({ bytes: s.bytes, startUs: s.row.startUs }));

describe('footage', () => {
  test('the recorder stored every frame the emulator sent, byte for byte, at its camera time, in contiguous segments', () => {
    assert.equal(rec.sentVideo.length, MEDIA_SECONDS * 20);
    assert.ok(segs().length >= 3, `${segs().length} segments`);
    const samples = recordedSamples(recorded());
    assert.equal(samples.length, sent.length);
    for (let i = 0; i < sent.length; i++) {
      assert.equal(samples[i].timeUs, sent[i].timeUs, `frame ${i} time`);
      assert.equal(samples[i].keyframe, rec.sentVideo[i].keyframe, `frame ${i} keyframe flag`);
      assert.ok(samples[i].data.equals(sent[i].sample), `frame ${i} bytes`);
    }
    // Keyframes every 2 s; 4 s files, each starting where the previous one ends, at a keyframe.
    assert.deepEqual(samples.filter((s) => s.keyframe).map((s) => s.timeUs - T0), Array.from({ length: MEDIA_SECONDS / 2 }, (_, k) => k * 2 * S));
    segs().forEach((s, i) => {
      assert.equal(s.row.state, 'closed');
      assert.equal(s.row.startUs, T0 + i * 4 * S);
      if (i > 0) assert.equal(s.row.startUs, segs()[i - 1].row.endUs);
    });
  });
});

describe('recordings', () => {
  test('lists the segments overlapping [from, to), paged with an opaque cursor', async () => {
    const q = `from=${iso(T0 + S)}&to=${iso(T0 + 10 * S)}`;
    const all = await api.json<{ items: { id: number; from: string; to: string }[]; nextCursor: string | null }>('GET', `/cameras/${cam}/recordings?${q}`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.items.map((i) => i.id), segs().slice(0, 3).map((s) => s.row.id));
    assert.match(all.body.items[0].from, ISO_US);
    assert.deepEqual([all.body.items[0].from, all.body.items[0].to], [iso(T0), iso(T0 + 4 * S)]);
    assert.equal(all.body.nextCursor, null);
    const p1 = await api.json<{ items: { id: number }[]; nextCursor: string }>('GET', `/cameras/${cam}/recordings?${q}&limit=2`);
    assert.equal(p1.body.items.length, 2);
    const p2 = await api.json<{ items: { id: number }[]; nextCursor: string | null }>('GET', `/cameras/${cam}/recordings?${q}&limit=2&cursor=${p1.body.nextCursor}`);
    assert.deepEqual(p2.body.items.map((i) => i.id), [segs()[2].row.id]);
    assert.equal(p2.body.nextCursor, null);
    // Half-open: a window ending where the first segment starts holds nothing.
    const none = await api.json<{ items: unknown[] }>('GET', `/cameras/${cam}/recordings?from=${iso(T0 - S)}&to=${iso(T0)}`);
    assert.deepEqual(none.body.items, []);
  });

  test('coverage merges contiguous segments into one span and lists the gap with its reason', async () => {
    const r = await api.json<{ recorded: unknown[]; gaps: unknown[]; recordedUs: number }>('GET', `/cameras/${cam}/coverage?from=${iso(T0 - S)}&to=${iso(T_END + 20 * S)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.recorded, [{ from: iso(T0), to: iso(T_END) }]);
    assert.deepEqual(r.body.gaps, [{ from: iso(T_END), to: iso(T_END + 8 * S), reason: 'offline' }]);
    assert.equal(r.body.recordedUs, T_END - T0);
  });

  test('GET /coverage answers every camera with footage or gaps, each as its own coverage route does', async () => {
    const q = `from=${iso(T0 - S)}&to=${iso(T_END + 20 * S)}`;
    const all = await api.json<{ from: string; to: string; cameras: { cameraId: number }[] }>('GET', `/coverage?${q}`);
    assert.equal(all.status, 200);
    const one = await api.json<{ cameraId: number }>('GET', `/cameras/${cam}/coverage?${q}`);
    assert.deepEqual(all.body.cameras.find((c) => c.cameraId === cam), one.body);
    assert.deepEqual([all.body.from, all.body.to], [iso(T0 - S), iso(T_END + 20 * S)]);
    const before = await api.json<{ cameras: unknown[] }>('GET', `/coverage?from=${iso(T0 - 10 * S)}&to=${iso(T0 - 5 * S)}`);
    assert.deepEqual(before.body.cameras, []);
  });

  test('a segment file is served with Range: 206 for a range, 416 past the end', async () => {
    const seg = segs()[1];
    const id = seg.row.id;
    const full = await api.request('GET', `/segments/${id}/file`);
    assert.equal(full.status, 200);
    assert.ok(Buffer.from(await full.arrayBuffer()).equals(Buffer.from(seg.bytes)));
    const part = await api.request('GET', `/segments/${id}/file`, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${seg.bytes.length}`);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(seg.bytes.subarray(100, 200))));
    const bad = await api.request('GET', `/segments/${id}/file`, { headers: { range: `bytes=${seg.bytes.length}-` } });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), `bytes */${seg.bytes.length}`);
    await bad.arrayBuffer();
  });
});

describe('range playback', () => {
  test('video.mp4 over three segments starts at the keyframe before from, decodes, lasts to `to`, and carries the recorded frames', async () => {
    const fromUs = T0 + 3.1 * S; // keyframe at or before: T0 + 2 s
    const toUs = T0 + 10.5 * S;
    const res = await api.request('GET', `/cameras/${cam}/video.mp4?from=${iso(fromUs)}&to=${iso(toUs)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    assert.equal(res.headers.get('x-start-time'), iso(T0 + 2 * S));
    const file = join(api.dataDir, 'playback.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    checkRangeMp4(file, recorded(), fromUs, toUs, FRAME_US, sent);
  });

  test('a range crossing a resolution change is 409 with the parts to request; one beyond 24 h is 400', async () => {
    const other = (await addCamera(api.ds, 2)).id;
    await writeSegment(api.ds, api.recordingsDir, other, { startUs: T0, frames: 40 });
    await writeSegment(api.ds, api.recordingsDir, other, { startUs: T0 + 2 * S, frames: 40, fixture: 'h264-360p20.h264', width: 640, height: 360 });
    const r = await api.json<{ code: string; ranges: { from: string; to: string; width: number }[] }>('GET', `/cameras/${other}/video.mp4?from=${iso(T0)}&to=${iso(T0 + 4 * S)}`);
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'stream-config-changed');
    assert.deepEqual(r.body.ranges.map((x) => [x.from, x.to, x.width]), [[iso(T0), iso(T0 + 2 * S), 1280], [iso(T0 + 2 * S), iso(T0 + 4 * S), 640]]);
    const ok = await api.request('GET', `/cameras/${other}/video.mp4?from=${iso(T0 + 2 * S)}&to=${iso(T0 + 4 * S)}`);
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
    const long = await api.json<{ code: string }>('GET', `/cameras/${cam}/video.mp4?from=${iso(T0)}&to=${iso(T0 + 24 * 3600 * S + 1)}`);
    assert.equal(long.status, 400);
    assert.equal(long.body.code, 'range-too-long');
  });
});

type ExportBody = { id: string; state: string; progress: number; bytes: number | null; fileUrl: string | null; error: string | null };

/** Holds every segment open of an export until released, one gate per file opened. */
function holdOpens(): { gates: ReturnType<typeof gate>[]; restore(): void } {
  const files = api.app.get(MediaFileRepository);
  const original = files.index.bind(files);
  const gates: ReturnType<typeof gate>[] = [];
  files.index = async (file: FileReader) => {
    const g = gate();
    gates.push(g);
    await g.promise;
    return original(file);
  };
  return { gates, restore: () => (files.index = original) };
}

describe('exports', () => {
  test('an export goes queued → active (progress rises) → completed, and its file passes the same checks, with Range', async () => {
    const hold = holdOpens();
    const fromUs = T0 + 1 * S;
    const toUs = T0 + 11 * S;
    try {
      const created = await api.json<ExportBody>('POST', '/exports', { camera: cam, from: iso(fromUs), to: iso(toUs) });
      assert.equal(created.status, 202);
      assert.equal(created.body.state, 'queued');
      const id = created.body.id;
      await expectEventually(async () => {
        const r = await api.json<ExportBody>('GET', `/exports/${id}`);
        assert.equal(r.body.state, 'active');
        assert.equal(r.body.progress, 0);
        assert.equal(hold.gates.length, 1);
      });
      hold.gates[0].open();
      await expectEventually(() => assert.equal(hold.gates.length, 2));
      const mid = await expectEventually(async () => {
        const r = await api.json<ExportBody>('GET', `/exports/${id}`);
        assert.equal(r.body.state, 'active');
        assert.ok(r.body.progress > 0 && r.body.progress < 100, `progress ${r.body.progress}`);
        return r.body.progress;
      });
      hold.restore();
      for (const g of hold.gates) g.open();
      const done = await expectEventually(async () => {
        const r = await api.json<ExportBody>('GET', `/exports/${id}`);
        assert.equal(r.body.state, 'completed', JSON.stringify(r.body));
        return r.body;
      });
      assert.ok(done.progress > mid);
      assert.equal(done.progress, 100);
      assert.equal(done.fileUrl, `/exports/${id}/file`);
      assert.deepEqual(readdirSync(join(api.dataDir, 'exports')), [`${id}.mp4`], 'only the final file, no temp file');
      checkRangeMp4(join(api.dataDir, 'exports', `${id}.mp4`), recorded(), fromUs, toUs, FRAME_US, sent);

      const res = await api.request('GET', `/exports/${id}/file`, { headers: { range: 'bytes=-16' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes ${done.bytes! - 16}-${done.bytes! - 1}/${done.bytes}`);
      assert.equal((await res.arrayBuffer()).byteLength, 16);

      const del = await api.request('DELETE', `/exports/${id}`);
      assert.equal(del.status, 204);
      assert.equal(existsSync(join(api.dataDir, 'exports', `${id}.mp4`)), false);
      assert.equal((await api.request('GET', `/exports/${id}`)).status, 404);
    } finally {
      hold.restore();
      for (const g of hold.gates) g.open();
    }
  });

  test('an export cancelled while active ends cancelled and leaves no file', async () => {
    const hold = holdOpens();
    try {
      const created = await api.json<ExportBody>('POST', '/exports', { camera: cam, from: iso(T0), to: iso(T0 + 12 * S) });
      const id = created.body.id;
      await expectEventually(async () => {
        assert.equal((await api.json<ExportBody>('GET', `/exports/${id}`)).body.state, 'active');
        assert.equal(hold.gates.length, 1);
      });
      hold.gates[0].open();
      await expectEventually(() => assert.equal(hold.gates.length, 2));
      assert.ok(existsSync(join(api.dataDir, 'exports', `${id}.mp4.partial`)), 'the temp file exists while active');
      const del = await api.json<ExportBody>('DELETE', `/exports/${id}`);
      assert.equal(del.status, 200);
      assert.equal(del.body.state, 'cancelled');
      hold.restore();
      for (const g of hold.gates) g.open();
      await expectEventually(async () => {
        const job = await api.json<{ state: string }>('GET', `/jobs/export:${id}`);
        assert.equal(job.body.state, 'cancelled');
        assert.deepEqual(readdirSync(join(api.dataDir, 'exports')).filter((f) => f.startsWith(id)), []);
      });
      assert.equal((await api.json<ExportBody>('GET', `/exports/${id}`)).body.state, 'cancelled');
      assert.equal((await api.request('GET', `/exports/${id}/file`)).status, 409);
    } finally {
      hold.restore();
      for (const g of hold.gates) g.open();
    }
  });
});
