// `GET /cameras/:id/frame.jpg?at=` on footage `wyze-nvr record` recorded from an emulated camera (12 s of the
// H.264 720p20 + AAC fixture, keyframe every 2 s, 4 s segments): the picture is the keyframe at or before
// `at`, decoded, at the requested width, close to the camera's own keyframe decoded independently; ETag and
// Cache-Control; 400 with the reason for bad input; 404 outside the footage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatIsoUs } from '../apps/api/src/common/time';
import { startTestApi, type TestApi } from './support/api';
import { recordFromEmulator, type EmulatedRecording } from './support/api-recordings';

const S = 1_000_000;
let api: TestApi;
let rec: EmulatedRecording;
let cam: number;
let T0: number;
let T_END: number;
const work = mkdtempSync(join(tmpdir(), 'nvr-frames-'));
const iso = formatIsoUs;
const execFileAsync = promisify(execFile);

before(async () => {
  const footage = await recordFromEmulator({ mediaSeconds: 12, segmentSeconds: 4, speed: 6 });
  rec = footage.cameras[0];
  cam = rec.cameraId;
  T0 = rec.segments[0].row.startUs;
  T_END = rec.segments[rec.segments.length - 1].row.endUs;
  api = await startTestApi({ existing: footage });
});
after(async () => {
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * ffmpeg, asynchronously: a synchronous child would stall this process's event loop for seconds, long
 * enough for the server to close the idle keep-alive connection that fetch then reuses (ECONNRESET).
 */
function ffmpeg(args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('ffmpeg', ['-v', 'error', ...args], { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg: ${err.message}\n${stderr.toString()}`));
      try {
        assert.equal(stderr.toString(), '', 'ffmpeg without a message');
        resolve(stdout);
      } catch (e) {
        reject(e);
      }
    });
    child.stdin!.end(input);
  });
}

/** A picture as 8-bit grey, width × height, decoded by ffmpeg. */
async function grey(jpeg: Uint8Array): Promise<{ width: number; height: number; pixels: Buffer }> {
  const file = join(work, 'picture.jpg');
  writeFileSync(file, jpeg);
  const probe = await execFileAsync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [width, height] = probe.stdout.trim().split(',').map(Number);
  return { width, height, pixels: await ffmpeg(['-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']) };
}

/** The camera's own keyframe (its Annex-B access unit, parameter sets included) decoded and scaled the same way. */
function sentKeyframeGrey(index: number, width: number): Promise<Buffer> {
  const frame = rec.sentVideo[index];
  assert.ok(frame.keyframe, `sent frame ${index} is a keyframe`);
  return ffmpeg(['-f', 'h264', '-i', 'pipe:0', '-frames:v', '1', '-vf', `scale=${width}:-2`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], frame.data);
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('frame.jpg', () => {
  test('is the keyframe at or before `at`, at the requested width, equal (near) to the camera keyframe decoded on its own', async () => {
    const res = await api.request('GET', `/cameras/${cam}/frame.jpg?at=${iso(T0 + 3.3 * S)}&width=320`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('x-frame-time'), iso(T0 + 2 * S), 'the keyframe 2 s in (keyframes every 2 s)');
    const picture = await grey(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual([picture.width, picture.height], [320, 180]);
    const shown = meanAbsDiff(picture.pixels, await sentKeyframeGrey(40, 320));
    const other = meanAbsDiff(picture.pixels, await sentKeyframeGrey(80, 320));
    assert.ok(shown < 1.5, `mean difference to the keyframe at 2 s: ${shown.toFixed(2)} of 255`);
    assert.ok(other > 2 * shown, `the next keyframe differs more (${other.toFixed(2)}), so the comparison tells keyframes apart`);
  });

  test('without width, the camera’s own size; exactly at a keyframe, that keyframe', async () => {
    const res = await api.request('GET', `/cameras/${cam}/frame.jpg?at=${iso(T0 + 4 * S)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-frame-time'), iso(T0 + 4 * S));
    const picture = await grey(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual([picture.width, picture.height], [1280, 720]);
    assert.ok(meanAbsDiff(picture.pixels, await sentKeyframeGrey(80, 1280)) < 1.5);
  });

  test('ETag and Cache-Control: a closed segment’s picture is immutable; If-None-Match answers 304', async () => {
    const path = `/cameras/${cam}/frame.jpg?at=${iso(T0 + 5 * S)}&width=160`;
    const first = await api.request('GET', path);
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^".+"$/);
    assert.match(first.headers.get('cache-control') ?? '', /immutable/);
    const again = await api.request('GET', path, { headers: { 'if-none-match': etag! } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    // Another width is another picture.
    const wider = await api.request('GET', `/cameras/${cam}/frame.jpg?at=${iso(T0 + 5 * S)}&width=320`, { headers: { 'if-none-match': etag! } });
    assert.equal(wider.status, 200);
    assert.notEqual(wider.headers.get('etag'), etag);
    await wider.arrayBuffer();
  });

  test('bad `at` or `width` is 400 naming the field and the reason', async () => {
    const cases: [string, string, RegExp][] = [
      ['at=yesterday', 'at', /ISO 8601 UTC/],
      [`at=${iso(T0).replace('Z', '+01:00')}`, 'at', /ISO 8601 UTC/],
      ['', 'at', /ISO 8601 UTC/],
      [`at=${iso(T0 + S)}&width=8`, 'width', /at least 16/],
      [`at=${iso(T0 + S)}&width=4000`, 'width', /at most 3840/],
      [`at=${iso(T0 + S)}&width=wide`, 'width', /whole number/],
      [`at=${iso(T0 + S)}&width=320.5`, 'width', /whole number/],
    ];
    for (const [query, field, reason] of cases) {
      const res = await api.request('GET', `/cameras/${cam}/frame.jpg?${query}`);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { code: string; errors: { field: string; reason: string }[] };
      assert.equal(body.code, 'validation-failed');
      assert.ok(body.errors.some((x) => x.field === field && reason.test(x.reason)), `${query}: ${JSON.stringify(body.errors)}`);
    }
  });

  test('404 where nothing was recorded: before the footage, after it, and for an unknown camera', async () => {
    for (const at of [T0 - 1, T_END, T_END + 60 * S]) {
      const res = await api.request('GET', `/cameras/${cam}/frame.jpg?at=${iso(at)}`);
      assert.equal(res.status, 404, iso(at));
      assert.equal(((await res.json()) as { code: string }).code, 'no-footage');
    }
    const unknown = await api.request('GET', `/cameras/999999/frame.jpg?at=${iso(T0 + S)}`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'camera-not-found');
  });
});
