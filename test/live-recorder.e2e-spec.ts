// The recorder's live view end to end: an emulated camera (720p H.264 at 8 Mbit/s + G.711 µ-law, real time)
// recorded by `wyze-nvr record`, watched through its internal server by a WebSocket viewer, a live.mp4 reader
// and a viewer that stops reading for 10 s — while the recording must lose nothing. The bit rate is high so
// that 10 s outgrow what loopback TCP buffers in the kernel (~4 MB here) and the recorder's queue bound.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBenchMedia } from '@wyze-nvr/camera-sim';
import { deriveInternalToken, INTERNAL_TOKEN_HEADER } from '@wyze-nvr/config';
import { readFragmentedMp4 } from '@wyze-nvr/media';
import { decodeErrors, eventually, holdFor, metrics, metricSum, SECRET_KEY_HEX, segmentRows, videoSampleDigest, videoSamplesOf } from './support/recorder-harness';
import { recorderScenario } from './support/recorder-scenario';
import { LiveSocketClient, mp4Of, readLiveMp4, refusedUpgrade, runIn, videoSamples } from './support/live-client';

const MEDIA_US = 60_000_000;
const QUEUE_BYTES = 65_536;
/** How long the slow viewer reads nothing, and how long live.mp4 is captured: the scenario, not waits. */
const STALL_MS = 10_000;
const CAPTURE_MS = 10_000;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

describe('live view from the recorder', { timeout: 240_000 }, () => {
  const media = { video: 'h264' as const, audio: 'pcmu' as const, videoPath: '' };
  before(async () => {
    media.videoPath = (await ensureBenchMedia({ width: 1280, height: 720, fps: 20, bitrateKbps: 8000, seconds: 20 })).video;
  });
  const scenario = recorderScenario(media, { durationUs: MEDIA_US });

  it('serves WebSocket and live.mp4 viewers the frames the camera sent, skips a stalled viewer to a keyframe, and records every frame', async () => {
    const { env, cam } = scenario;
    const sent: string[] = [];
    cam.device.on('frame-sent', (f) => f.kind === 'video' && sent.push(videoSampleDigest('h264', f.data)));
    // A second camera nobody answers for: it never records.
    const dead: { id: number }[] = await env.ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) SELECT 'dead', 'DEADCAM00000000000001', enr_encrypted, 'aabbccddeeff', '127.0.0.1', 9, 'HL_CAM4' FROM cameras WHERE id = $1 RETURNING id`, [cam.id]);
    const token = deriveInternalToken(Buffer.from(SECRET_KEY_HEX, 'hex'));
    const settings = { RECORDER_LIVE_MAX_VIEWERS: '3', RECORDER_LIVE_QUEUE_BYTES: String(QUEUE_BYTES) };
    const jpegPath = join(env.dir, 'snapshot.jpg');
    let captured: { viewer: LiveSocketClient; slow: LiveSocketClient; mp4: Awaited<ReturnType<typeof readLiveMp4>> } | undefined;

    await scenario.withRecorder(settings, async ({ proc, metricsUrl }) => {
      const base = await eventually(async () => {
        const rows: { recorder_url: string | null }[] = await env.ds.query(`SELECT recorder_url FROM camera_status WHERE camera_id = $1`, [cam.id]);
        return rows[0]?.recorder_url;
      }, 20_000, 'the status row with the recorder URL');
      assert.equal(`${base}/metrics`, metricsUrl, 'camera_status.recorder_url is the internal server');
      const http = (id: number, path: string) => `${base}/internal/cameras/${id}/${path}`;
      const wsUrl = (id: number) => http(id, 'live').replace(/^http/, 'ws');
      await eventually(async () => metricSum(await metrics(metricsUrl), 'wyze_nvr_camera_state', { camera: String(cam.id), state: 'recording' }) === 1, 30_000, 'the camera recording');

      // Refusals, all before any upgrade and with the API's error shape.
      for (const headers of [{}, { [INTERNAL_TOKEN_HEADER]: 'f'.repeat(64) }] as Record<string, string>[]) {
        const r = await fetch(http(cam.id, 'live.mp4'), { headers });
        assert.equal(r.status, 401);
        assert.deepEqual(await r.json(), { statusCode: 401, code: 'unauthorized', message: `missing or wrong ${INTERNAL_TOKEN_HEADER} token` });
        assert.equal((await refusedUpgrade(wsUrl(cam.id), headers)).status, 401);
      }
      const auth = { [INTERNAL_TOKEN_HEADER]: token };
      assert.deepEqual((await refusedUpgrade(wsUrl(999999), auth)).body.code, 'camera-not-found');
      assert.equal((await fetch(http(999999, 'live.mp4'), { headers: auth })).status, 404);
      const notRecording = await refusedUpgrade(wsUrl(dead[0].id), auth);
      assert.equal(notRecording.status, 503);
      assert.equal(notRecording.body.code, 'camera-not-recording');
      assert.match(String(notRecording.body.state), /^(connecting|backoff)$/);
      assert.ok('reason' in notRecording.body);

      assert.equal((await fetch(http(cam.id, 'live'), { headers: auth })).status, 426, 'the live view is a WebSocket');

      // Snapshot: the newest keyframe as a JPEG of the width asked for; the same keyframe again is a 304.
      const snap = await eventually(async () => {
        const r = await fetch(http(cam.id, 'snapshot.jpg?width=320'), { headers: auth });
        return r.status === 200 && r;
      }, 10_000, 'a snapshot');
      assert.equal(snap.headers.get('content-type'), 'image/jpeg');
      assert.equal(snap.headers.get('cache-control'), 'no-cache');
      writeFileSync(jpegPath, Buffer.from(await snap.arrayBuffer()));
      const etag = snap.headers.get('etag')!;
      const again = await fetch(http(cam.id, 'snapshot.jpg?width=320'), { headers: { ...auth, 'if-none-match': etag } });
      assert.ok(again.status === 304 || (again.status === 200 && again.headers.get('etag') !== etag), `${again.status}: 304 unless a new keyframe came`);
      const badWidth = await fetch(http(cam.id, 'snapshot.jpg?width=5'), { headers: auth });
      assert.deepEqual([badWidth.status, ((await badWidth.json()) as { code: string }).code], [400, 'invalid-width']);

      // Three viewers (the limit): a reader, a live.mp4 capture, and one that stops reading.
      const viewer = new LiveSocketClient(wsUrl(cam.id), token);
      const slow = new LiveSocketClient(wsUrl(cam.id), token);
      await Promise.all([viewer.opened, slow.opened]);
      const capture = readLiveMp4(http(cam.id, 'live.mp4'), token, CAPTURE_MS);
      await eventually(() => slow.messages.length > 3, 10_000, 'the slow viewer to start');
      await eventually(async () => metricSum(await metrics(metricsUrl), 'wyze_nvr_live_viewers', { camera: String(cam.id) }) === 3, 10_000, 'three viewers');
      const fourth = await refusedUpgrade(wsUrl(cam.id), auth);
      assert.deepEqual([fourth.status, fourth.body.code], [429, 'too-many-viewers']);

      slow.ws.pause();
      const stallStart = Date.now();
      const rss0 = rssMb(proc.child.pid!);
      let maxQueued = 0;
      while (Date.now() - stallStart < STALL_MS) {
        maxQueued = Math.max(maxQueued, metricSum(await metrics(metricsUrl), 'wyze_nvr_live_queued_bytes', { camera: String(cam.id) }));
        await holdFor(500);
      }
      const rssGrowth = rssMb(proc.child.pid!) - rss0;
      slow.ws.resume();
      await eventually(() => slow.texts('skipped').length > 0, 15_000, 'the slow viewer to be told it skipped');

      const mp4 = await capture;
      viewer.close();
      slow.close();
      await eventually(async () => metricSum(await metrics(metricsUrl), 'wyze_nvr_live_viewers', { camera: String(cam.id) }) === 0, 10_000, 'the viewers gone');
      const m = await metrics(metricsUrl);
      // The stalled viewer may skip again while it drains the ~4 MB the kernel held for it; the others never do.
      assert.equal(metricSum(m, 'wyze_nvr_live_viewer_skips_total', { camera: String(cam.id) }), slow.texts('skipped').length, 'only the stalled viewer skipped');

      // The stalled viewer: queue bounded, memory flat.
      assert.ok(maxQueued <= 3 * QUEUE_BYTES, `queued bytes peaked at ${maxQueued}`);
      assert.ok(rssGrowth < 48, `the recorder's RSS grew ${rssGrowth.toFixed(1)} MB while a viewer stalled`);
      captured = { viewer, slow, mp4 };

      // Recording went on untouched: every frame the camera sends reaches the recorder.
      await eventually(() => cam.sent.video === cam.expected.video && cam.sent.audio === cam.expected.audio, MEDIA_US / 1000, 'the camera to send everything').catch((e) =>
        assert.fail(`${e.message}: sent ${JSON.stringify(cam.sent)} of ${JSON.stringify(cam.expected)}; device ${JSON.stringify(cam.device.stats)} ${JSON.stringify(cam.device.session)}\n${proc.output.slice(-3000)}`),
      );
      let last = '';
      await eventually(async () => {
        const mm = await metrics(metricsUrl);
        const got = { video: metricSum(mm, 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'video' }), audio: metricSum(mm, 'wyze_nvr_camera_frames_total', { camera: String(cam.id), kind: 'audio' }) };
        last = `received ${JSON.stringify(got)} of ${JSON.stringify(cam.sent)}; drops: ${[...mm].filter(([k, v]) => k.includes('dropped') && v > 0).map(([k, v]) => `${k} ${v}`).join(', ')}`;
        return got.video === cam.sent.video && got.audio === cam.sent.audio;
      }, 20_000, 'the recorder to receive every frame').catch((e) => assert.fail(`${e.message}: ${last}`));
    });

    // What the clients got, examined now that the camera has stopped: parsing and decoding here would stall
    // this process, and with it the emulator (its paced source would then burst, and a silent client is paused).
    const size = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', jpegPath], { encoding: 'utf8' });
    assert.equal(size.stdout.trim(), 'mjpeg,320,180', 'the snapshot is a JPEG of the width asked for');

    // The stalled viewer resumed at a keyframe.
    const { viewer, slow, mp4 } = captured!;
    const skippedAt = slow.messages.findIndex((x) => 'text' in x && x.text.type === 'skipped');
    const skipped = slow.messages[skippedAt] as { text: { frames: number } };
    assert.ok(skipped.text.frames > 0);
    const afterSkip = videoSamples(mp4Of(slow.messages, skippedAt + 2));
    assert.equal(afterSkip[afterSkip.length - 1].keyframe, true, 'the first fragment after "skipped" is a keyframe');

    // The reader: codecs for a browser (H.264 + FLAC), then the camera's frames in order from a keyframe.
    const codecs = viewer.texts('codecs')[0];
    assert.match(String(codecs.mime), /^video\/mp4; codecs="avc1\.[0-9a-f]{6},flac"$/);
    assert.deepEqual(codecs.audio, { codec: 'flac', sampleRate: 8000, channels: 1 });
    const seen = videoSamples(mp4Of(viewer.messages));
    assert.ok(seen.length > 100, `${seen.length} frames`);
    assert.equal(seen[0].keyframe, true);
    assert.ok(runIn(sent, seen.map((s) => s.digest)) >= 0, 'the WebSocket viewer got the frames sent, in order');
    assert.equal(viewer.texts('skipped').length, 0);

    // live.mp4: ten seconds that decode without a message, the frames sent, in order, from a keyframe.
    assert.equal(mp4.status, 200);
    assert.equal(mp4.type, 'video/mp4');
    const path = join(env.dir, 'live.mp4');
    writeFileSync(path, mp4.bytes);
    const file = readFragmentedMp4(mp4.bytes);
    const complete = join(env.dir, 'live-complete.mp4');
    writeFileSync(complete, mp4.bytes.subarray(0, file.completeLength));
    assert.equal(decodeErrors(complete), '', 'ffmpeg -v error prints nothing');
    assert.deepEqual(file.tracks.map((t) => t.sampleEntryType), ['avc1', 'fLaC']);
    const inFile = videoSamplesOf(complete);
    assert.ok(inFile.length > (CAPTURE_MS / 1000) * 20 * 0.5, `${inFile.length} frames in ${CAPTURE_MS} ms`);
    assert.equal(videoSamples(mp4.bytes.subarray(0, file.completeLength))[0].keyframe, true);
    assert.ok(runIn(sent, inFile) >= 0, 'live.mp4 holds the frames sent, in order');

    const rows = (await segmentRows(env.ds)).filter((r) => r.camera_id === cam.id);
    const stored = rows.flatMap((r) => videoSamplesOf(r.path));
    assert.equal(stored.length, cam.sent.video, 'every video frame recorded (0 lost)');
    assert.equal(rows.reduce((n, r) => n + r.audio_frames, 0), cam.sent.audio, 'every audio frame recorded');
    const wrong = stored.findIndex((d, i) => d !== cam.videoDigests[i % cam.videoDigests.length]);
    assert.equal(wrong, -1, `recorded video sample ${wrong} is not the frame sent`);
  });
});
