// The API's live view and snapshot routes over the real chain: an emulated camera (@wyze-nvr/camera-sim,
// H.264 720p20 + AAC, real time) → `wyze-nvr record` (a child: its internal server, camera_status.recorder_url)
// → the API (same database and SECRET_KEY) → WebSocket / HTTP clients. The API authenticates before any
// upgrade, answers 404/503 from the database, passes the recorder's 429 on, proxies the handshake and both
// directions, closes both ends when either goes, and never logs the token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCameraSim, type CameraSim } from '@wyze-nvr/camera-sim';
import { loadConfig, SecretBox } from '@wyze-nvr/config';
import { readFragmentedMp4 } from '@wyze-nvr/media';
import { createApiApp } from '../apps/api/src/api.app';
import { startTestApi, type TestApi } from './support/api';
import { sampleOfAccessUnit } from './support/api-recordings';
import type { CliProcess } from './support/cli';
import { eventually } from './support/eventually';
import { isRefusal, openLive, type LiveClient } from './support/api-live-client';
import { metrics, metricSum, migratedDatabase, SECRET_KEY_HEX, startRecorder, type MigratedDatabase } from './support/recorder-harness';

const MAX_VIEWERS = 2;
// Children run asynchronously: a synchronous one stalls the event loop long enough for the server to close
// the keep-alive connection fetch reuses next (ECONNRESET).
const execFileAsync = promisify(execFile);
let db: MigratedDatabase;
let dataDir: string;
let sim: CameraSim;
let recorder: { proc: CliProcess; metricsUrl: string };
let api: TestApi;
let cam: number;
/** A camera the recorder tries and fails to reach (nothing answers at its address). */
let unreachable: number;
let disabled: number;
const sent: Buffer[] = [];

async function insertCamera(n: number, port: number, enabled: boolean, credentials = { uid: `LIVETEST${String(n).padStart(12, '0')}`, enr: 'unused-enr-0000', mac: `AABBCC0000${n}0`, model: 'HL_CAM4' }): Promise<number> {
  const box = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
  const rows: { id: number }[] = await db.ds.query(
    `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model, enabled) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, $6, $7) RETURNING id`,
    [`live ${n}`, credentials.uid, box.encrypt(credentials.enr), credentials.mac, port, credentials.model, enabled],
  );
  return rows[0].id;
}

before(async () => {
  db = await migratedDatabase('wyze_nvr_live');
  dataDir = mkdtempSync(join(tmpdir(), 'nvr-live-'));
  sim = await startCameraSim({ port: 0, host: '127.0.0.1', speed: 1 });
  sim.device.on('frame-sent', (f) => {
    if (f.kind === 'video') sent.push(sampleOfAccessUnit('h264', f.data));
  });
  cam = await insertCamera(1, sim.port, true, sim.credentials);
  unreachable = await insertCamera(2, 9, true);
  disabled = await insertCamera(3, 9, false);
  recorder = await startRecorder({
    DATABASE_URL: db.db.url,
    DATA_DIR: dataDir,
    RECORDINGS_DIR: join(dataDir, 'recordings'),
    SECRET_KEY: SECRET_KEY_HEX,
    LOG_LEVEL: 'info',
    RECORDER_INTERNAL_PORT: '0',
    RECORDER_LIVE_MAX_VIEWERS: String(MAX_VIEWERS),
  });
  api = await startTestApi({ existing: { db: db.db, dataDir, recordingsDir: join(dataDir, 'recordings') }, secretKey: Buffer.from(SECRET_KEY_HEX, 'hex') });
  await eventually(async () => {
    const r = await api.json<{ status: { state: string; source: string } }>('GET', `/cameras/${cam}`);
    return r.body.status.source === 'recorder' && r.body.status.state === 'recording';
  }, 60_000, 'the recorder to report the camera recording').catch((e: Error) => assert.fail(`${e.message}\n${recorder.proc.output.slice(-3000)}`));
});

after(async () => {
  await api?.close().catch(() => undefined);
  await recorder?.proc.stop('SIGTERM');
  sim?.close();
  await db?.ds.destroy().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const wsUrl = (id: number) => `${api.url.replace('http', 'ws')}/cameras/${id}/live`;
const viewers = async (transport: string) => metricSum(await metrics(recorder.metricsUrl), 'wyze_nvr_live_viewers', { camera: String(cam), transport });

/** Video sample bytes of an init segment and the fragments after it. */
function videoSamples(init: Buffer, fragments: Buffer[]): Buffer[] {
  const bytes = Buffer.concat([init, ...fragments]);
  const mp4 = readFragmentedMp4(bytes);
  const video = mp4.tracks.find((t) => t.kind === 'video')!;
  return mp4.fragments.flatMap((f) => f.samples.filter((s) => s.trackId === video.trackId).map((s) => bytes.subarray(s.offset, s.offset + s.size)));
}

/** The samples are consecutive frames the emulator sent, in order, starting at a keyframe. */
function assertSentInOrder(samples: Buffer[]): void {
  assert.ok(samples.length >= 20, `${samples.length} video samples`);
  const first = sent.findIndex((s) => s.equals(samples[0]));
  assert.ok(first >= 0, 'the first sample is a frame the emulator sent');
  samples.forEach((s, i) => assert.ok(s.equals(sent[first + i]), `sample ${i} is sent frame ${first + i}`));
}

async function liveClient(opts: Parameters<typeof openLive>[1]): Promise<LiveClient> {
  const c = await openLive(wsUrl(cam), opts);
  if (isRefusal(c)) assert.fail(`refused: ${c.status} ${JSON.stringify(c.body)}`);
  return c;
}

describe('GET /cameras/:id/live (WebSocket through the API)', () => {
  test('a browser-style client (token as a subprotocol) gets codecs, the init segment and the camera’s frames in order', { timeout: 60_000 }, async () => {
    const c = await liveClient({ protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] });
    try {
      assert.equal(c.protocol, 'wyze-nvr.live.v1', 'the answer selects the live protocol, never the bearer entry');
      await eventually(() => c.messages.filter(Buffer.isBuffer).length > 60, 20_000, '60 fragments');
      const codecs = c.messages[0] as { type: string; mime: string; video: { width: number }; timeBaseUs: number };
      assert.equal(codecs.type, 'codecs');
      assert.match(codecs.mime, /^video\/mp4; codecs="avc1\.4d401f,mp4a\.40\.2"$/i);
      assert.equal(codecs.video.width, 1280);
      const [init, ...fragments] = c.messages.filter(Buffer.isBuffer);
      assertSentInOrder(videoSamples(init, fragments));
      assert.equal(await viewers('websocket'), 1);
    } finally {
      c.ws.close();
    }
    await eventually(async () => (await viewers('websocket')) === 0, 10_000, 'the recorder to drop the viewer when the client closed');
  });

  test('Authorization: Bearer works too (non-browser clients)', { timeout: 30_000 }, async () => {
    const c = await liveClient({ protocols: ['wyze-nvr.live.v1'], headers: { authorization: `Bearer ${api.token}` } });
    await eventually(() => c.messages.filter(Buffer.isBuffer).length > 1, 10_000, 'the init segment and a fragment');
    c.ws.close();
    await c.closed;
  });

  test('401 before any upgrade without a token, with a wrong one, or with a wrong one next to a right one', async () => {
    for (const o of [
      { protocols: ['wyze-nvr.live.v1'] },
      { protocols: ['wyze-nvr.live.v1', 'bearer.wrong-token-0000000000'] },
      { protocols: ['wyze-nvr.live.v1'], headers: { authorization: 'Bearer wrong-token-0000000000' } },
      { protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`], headers: { authorization: 'Bearer wrong-token-0000000000' } },
    ]) {
      const r = await openLive(wsUrl(cam), o);
      assert.ok(isRefusal(r), JSON.stringify(o));
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'unauthorized');
      assert.match(String(r.headers['x-request-id']), /.+/);
    }
  });

  test('bad id or no live subprotocol 400; unknown camera 404; a camera that is not recording 503 with its state and reason; a plain GET 426', async () => {
    const auth = { protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] };
    const missing = await openLive(wsUrl(999_999), auth);
    assert.ok(isRefusal(missing));
    assert.deepEqual([missing.status, missing.body.code], [404, 'camera-not-found']);
    const bad = await openLive(`${api.url.replace('http', 'ws')}/cameras/abc/live`, auth);
    assert.ok(isRefusal(bad));
    assert.equal(bad.status, 400);
    const noProtocol = await openLive(wsUrl(cam), { protocols: [`bearer.${api.token}`] });
    assert.ok(isRefusal(noProtocol));
    assert.deepEqual([noProtocol.status, (noProtocol.body.errors as { field: string }[])[0].field], [400, 'Sec-WebSocket-Protocol']);
    for (const id of [unreachable, disabled]) {
      const r = await openLive(wsUrl(id), auth);
      assert.ok(isRefusal(r));
      assert.equal(r.status, 503);
      assert.equal(r.body.code, 'camera-not-recording');
      assert.equal(typeof r.body.state, 'string');
      assert.ok(typeof r.body.reason === 'string' && r.body.reason.length > 0, JSON.stringify(r.body));
      assert.notEqual(r.body.state, 'recording');
    }
    const plain = await api.request('GET', `/cameras/${cam}/live`);
    assert.equal(plain.status, 426);
    assert.equal(((await plain.json()) as { code: string }).code, 'upgrade-required');
  });

  test('the recorder’s viewer limit (429) reaches the client with its body', { timeout: 30_000 }, async () => {
    const auth = { protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] };
    const open: LiveClient[] = [];
    try {
      for (let i = 0; i < MAX_VIEWERS; i++) open.push(await liveClient(auth));
      const r = await openLive(wsUrl(cam), auth);
      assert.ok(isRefusal(r));
      assert.deepEqual([r.status, r.body.code], [429, 'too-many-viewers']);
    } finally {
      for (const c of open) c.ws.close();
    }
    await eventually(async () => (await viewers('websocket')) === 0, 10_000, 'the viewers to leave');
  });

  test('the request log has one line per session with the route and status 101, and never the token', { timeout: 30_000 }, async () => {
    const c = await liveClient({ protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] });
    c.ws.close();
    await c.closed;
    assert.match(c.requestId ?? '', /.+/);
    const line = await eventually(() => api.logs.find((l) => l.includes(`"reqId":"${c.requestId}"`)), 10_000, 'the session’s log line');
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual([entry.route, entry.path, entry.status], ['/cameras/:id/live', `/cameras/${cam}/live`, 101]);
    assert.equal(api.logs.filter((l) => l.includes(api.token)).length, 0, 'no API log line holds the token');
    assert.ok(!recorder.proc.output.includes(api.token), 'the recorder never sees it');
  });
});

describe('GET /cameras/:id/live.mp4 and snapshot.jpg through the API', () => {
  test('live.mp4 is the camera’s frames as one fragmented MP4 that ffmpeg decodes without a message; leaving ends the recorder’s viewer', { timeout: 60_000 }, async () => {
    const res = await api.request('GET', `/cameras/${cam}/live.mp4`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    const chunks: Buffer[] = [];
    const reader = res.body!.getReader();
    await eventually(async () => {
      const { value } = await reader.read();
      if (value) chunks.push(Buffer.from(value));
      const mp4 = readFragmentedMp4(Buffer.concat(chunks));
      return mp4.fragments.length > 80;
    }, 30_000, '80 fragments');
    assert.equal(await viewers('mp4'), 1);
    await reader.cancel();
    await eventually(async () => (await viewers('mp4')) === 0, 10_000, 'the recorder to drop the mp4 viewer when the client left');
    const bytes = Buffer.concat(chunks);
    const complete = bytes.subarray(0, readFragmentedMp4(bytes).completeLength);
    const file = join(dataDir, 'live.mp4');
    writeFileSync(file, complete);
    const r = await execFileAsync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
    assert.equal(r.stderr, '', 'ffmpeg decodes it without a message');
    const mp4 = readFragmentedMp4(complete);
    const init = complete.subarray(0, mp4.init.length);
    assertSentInOrder(videoSamples(Buffer.from(init), [complete.subarray(mp4.init.length)]));
  });

  test('snapshot.jpg: the newest keyframe at the asked width, ETag → 304; width checked by the API', { timeout: 30_000 }, async () => {
    const res = await api.request('GET', `/cameras/${cam}/snapshot.jpg?width=320`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    const jpeg = Buffer.from(await res.arrayBuffer());
    const file = join(dataDir, 'snapshot.jpg');
    writeFileSync(file, jpeg);
    const probe = await execFileAsync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
    assert.equal(probe.stdout.trim(), '320,180');
    const etag = res.headers.get('etag')!;
    const again = await api.request('GET', `/cameras/${cam}/snapshot.jpg?width=320`, { headers: { 'if-none-match': etag } });
    // A newer keyframe may have come (every 2 s): then it is a new picture, with a new ETag.
    if (again.status === 200) assert.notEqual(again.headers.get('etag'), etag);
    else assert.equal(again.status, 304);
    await again.arrayBuffer();
    const bad = await api.request('GET', `/cameras/${cam}/snapshot.jpg?width=5`);
    assert.equal(bad.status, 400);
    const off = await api.request('GET', `/cameras/${unreachable}/snapshot.jpg`);
    assert.equal(off.status, 503);
  });
});

describe('shutdown', () => {
  test('closing the API ends its live sessions instead of waiting for them, and the recorder’s viewers with them', { timeout: 60_000 }, async () => {
    const config = loadConfig({ DATA_DIR: api.dataDir, RECORDINGS_DIR: api.recordingsDir, API_TOKEN: api.token, DATABASE_URL: db.db.url }, { require: ['API_TOKEN'] });
    const second = await createApiApp({ config, dataSource: api.ds, secretKey: api.secretKey, retentionIntervalMs: 0 }, false);
    await second.listen(0, '127.0.0.1');
    const base = (await second.getUrl()).replace('[::1]', '127.0.0.1');
    const c = await openLive(`${base.replace('http', 'ws')}/cameras/${cam}/live`, { protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] });
    if (isRefusal(c)) assert.fail(JSON.stringify(c.body));
    const mp4 = await fetch(`${base}/cameras/${cam}/live.mp4`, { headers: { authorization: `Bearer ${api.token}` } });
    assert.equal(mp4.status, 200);
    const reader = mp4.body!.getReader();
    await reader.read();
    await eventually(async () => (await viewers('websocket')) === 1 && (await viewers('mp4')) === 1, 10_000, 'both viewers at the recorder');
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('app.close() still waits for the live sessions after 10 s')), 10_000)));
    await Promise.race([second.close(), waited]).finally(() => clearTimeout(timer));
    await c.closed;
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) throw new Error('ended');
    });
    await eventually(async () => (await viewers('websocket')) === 0 && (await viewers('mp4')) === 0, 10_000, 'the recorder to drop both viewers');
  });
});

describe('when the recorder goes away', () => {
  test('the client’s WebSocket closes', { timeout: 60_000 }, async () => {
    const c = await liveClient({ protocols: ['wyze-nvr.live.v1', `bearer.${api.token}`] });
    await eventually(() => c.messages.filter(Buffer.isBuffer).length > 1, 10_000, 'the stream to start');
    assert.equal(await recorder.proc.stop('SIGTERM'), 0);
    const { code } = await c.closed;
    assert.ok(code > 0, `closed with ${code}`);
  });
});
