// bench:live — N emulated 2K cameras (2560×1440, 20 fps, ~2 Mbit/s H.264 + AAC) in one child process, recorded
// by `wyze-nvr record` in another, watched by WebSocket viewers in a third (spread evenly over the cameras),
// in phases of 0, then each `--viewers` count. Per phase: delivery latency from the emulator's send of a
// frame to its fragment at a viewer (p50/p99/max; frames matched by the last bytes of their picture data),
// the recorder's CPU per camera-second, its extra CPU per viewer-second over the phase without viewers, skips,
// RSS; at the end, frames lost by the recorder over the whole run (it must be 0).
//   npm run bench:live -- [--cameras 10] [--viewers 1,10,100] [--seconds 20] [--motion off|on] [--via api]
// --via api starts `wyze-nvr api` on the same database and connects the viewers through its
// /cameras/:id/live proxy (bearer token as the subprotocol) instead of straight to the recorder.
// Needs PostgreSQL (TEST_DATABASE_URL or postgres@127.0.0.1) and ffmpeg.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { deriveInternalToken, INTERNAL_TOKEN_HEADER } from '@wyze-nvr/config';
import WebSocket from 'ws';
import { parsePrometheus } from '../apps/recorder/src/metrics/prometheus';
import { CliProcess } from '../test/support/cli';
import { openBenchSetup } from './support/bench-setup';
import { runEmulatorFleet, spawnEmulatorFleet } from './support/emulator-fleet';
import { cpuMs, rssMb, totalCpuMs } from './support/proc-stats';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '10' },
    viewers: { type: 'string', default: '1,10,100' },
    seconds: { type: 'string', default: '20' },
    motion: { type: 'string', default: 'off' },
    via: { type: 'string' },
    role: { type: 'string' },
    video: { type: 'string' },
    audio: { type: 'string' },
    count: { type: 'string' },
    targets: { type: 'string' },
  },
});
const CAMERAS = Number(values.cameras);
const SECONDS = Number(values.seconds);
const WARMUP_MS = 3000;
/** Bytes at the end of a picture that name it (the sample's last NAL unit ends the frame's Annex-B data too). */
const KEY_BYTES = 24;
const now = () => performance.timeOrigin + performance.now();
const keyOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset + b.length - KEY_BYTES, KEY_BYTES).toString('hex');

interface Target {
  url: string;
  headers?: Record<string, string>;
  protocols?: string[];
}

/**
 * Child: `count` WebSocket viewers on `targets` (viewer i on target i mod n). Prints `connected` when all
 * have their codecs; after `start` on stdin records (camera, key, arrival) of every video fragment; after
 * `stop` prints them as `a <camera> <key> <ms>` lines, then `done <skipped messages> <closes>`.
 */
function viewers(): void {
  const targets = JSON.parse(values.targets!) as Target[];
  const count = Number(values.count);
  const cams: number[] = [];
  const keys: string[] = [];
  const times: number[] = [];
  let recording = false;
  let ready = 0;
  let skipped = 0;
  let closes = 0;
  for (let i = 0; i < count; i++) {
    const cam = i % targets.length;
    const t = targets[cam];
    const ws = new WebSocket(t.url, t.protocols ?? [], { headers: t.headers, perMessageDeflate: false });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', mimeTypes: ['video/mp4; codecs="avc1.640028"', 'audio/mp4; codecs="mp4a.40.2"', 'audio/mp4; codecs="flac"'] })));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const m = JSON.parse(data.toString()) as { type: string };
        if (m.type === 'codecs' && ++ready === count) process.stdout.write('connected\n');
        else if (m.type === 'skipped') skipped++;
        return;
      }
      if (!recording) return;
      const at = now();
      // moof + mdat pairs (held audio, then the video frame); tfhd track_ID 1 is video (libs/media VIDEO_TRACK_ID).
      for (let o = 0; o + 52 <= data.length; ) {
        const moofEnd = o + data.readUInt32BE(o);
        if (data.toString('latin1', o + 4, o + 8) !== 'moof' || moofEnd + 8 > data.length) break;
        const mdatEnd = moofEnd + data.readUInt32BE(moofEnd);
        if (data.readUInt32BE(o + 44) === 1) {
          cams.push(cam);
          keys.push(keyOf(data.subarray(0, mdatEnd)));
          times.push(at);
        }
        o = mdatEnd;
      }
    });
    ws.on('close', () => closes++);
    ws.on('error', (e) => process.stderr.write(`viewer ${i}: ${e.message}\n`));
  }
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'start') recording = true;
    if (line !== 'stop') return;
    recording = false;
    const out: string[] = [];
    for (let i = 0; i < cams.length; i++) out.push(`a ${cams[i]} ${keys[i]} ${times[i].toFixed(3)}`);
    process.stdout.write(`${out.join('\n')}\ndone ${skipped} ${closes}\n`, () => process.exit(0));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const round = (n: number, d = 3) => Number(n.toFixed(d));

async function main(): Promise<void> {
  const counts = values.viewers!.split(',').map(Number);
  const setup = await openBenchSetup('bench-live');
  const { media, ds, db, dir, secret, box } = setup;

  /** Send times (ms) of each picture, by camera and key; a key repeats once per loop of the media. */
  const sends = new Map<string, number[]>();
  const fleet = await spawnEmulatorFleet([__filename, '--role', 'emulators', '--cameras', String(CAMERAS), '--video', media.video, '--audio', media.audio!], (line) => {
    const [tag, cam, key, t] = line.split(' ');
    if (tag !== 'f') return;
    const k = `${cam} ${key}`;
    const list = sends.get(k);
    if (list) list.push(Number(t));
    else sends.set(k, [Number(t)]);
  });
  const ids: number[] = [];
  for (const [i, c] of fleet.credentials.entries()) {
    const rows: { id: number }[] = await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, 'HL_CAM4') RETURNING id`, [`bench ${i}`, c.uid, box.encrypt(c.enr), c.mac, c.port]);
    ids.push(rows[0].id);
  }
  const env = { DATABASE_URL: db.url, DATA_DIR: join(dir, 'data'), RECORDINGS_DIR: join(dir, 'recordings'), SECRET_KEY: secret.toString('hex'), LOG_LEVEL: 'info' };
  const rec = new CliProcess(['record'], { ...env, RECORDER_STALL_SECONDS: '30', RECORDER_MOTION: values.motion, RECORDER_LIVE_MAX_VIEWERS: '1000' });
  const started = await rec.waitFor(/internal server at (http:\/\/\S+) .*metrics at (http:\/\/\S+\/metrics)/, 120_000).catch(() => null);
  if (!started) throw new Error(`recorder did not start:\n${rec.output.slice(-2000)}`);
  const [, internalUrl, metricsUrl] = started;
  const scrape = async () => parsePrometheus(await (await fetch(metricsUrl)).text());
  const sum = (m: Map<string, number>, prefix: string, filter = '') => [...m].filter(([k]) => k.startsWith(prefix) && k.includes(filter)).reduce((n, [, v]) => n + v, 0);
  for (const deadline = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 500))) {
    const recording = sum(await scrape(), 'wyze_nvr_camera_state{', 'state="recording"');
    if (recording === CAMERAS) break;
    if (Date.now() > deadline) throw new Error(`only ${recording} of ${CAMERAS} cameras recording`);
  }

  let targets: Target[];
  let api: CliProcess | undefined;
  if (values.via === 'api') {
    const token = randomBytes(24).toString('base64url');
    const port = await freePort();
    api = new CliProcess(['api'], { ...env, API_TOKEN: token, API_HOST: '127.0.0.1', API_PORT: String(port) });
    await api.waitFor(/api listening/, 120_000);
    targets = ids.map((id) => ({ url: `ws://127.0.0.1:${port}/cameras/${id}/live`, protocols: ['wyze-nvr.live.v1', `bearer.${token}`] }));
  } else {
    const token = deriveInternalToken(secret);
    targets = ids.map((id) => ({ url: `${internalUrl.replace(/^http/, 'ws')}/internal/cameras/${id}/live`, headers: { [INTERNAL_TOKEN_HEADER]: token } }));
  }

  const pid = rec.child.pid!;
  const phases: Record<string, unknown>[] = [];
  // No viewers before and after: the mean of both is the baseline the viewers' cost is measured against,
  // which halves the drift of a shared machine over the run.
  const baselines: number[] = [];
  for (const n of [0, ...counts, 0]) {
    let child: ChildProcess | undefined;
    let lines: string[] = [];
    if (n > 0) {
      child = spawn(process.execPath, ['-r', './scripts/register.js', __filename, '--role', 'viewers', '--count', String(n), '--targets', JSON.stringify(targets)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const rl = createInterface({ input: child.stdout! });
      await new Promise<void>((resolve, reject) => {
        child!.once('exit', (code) => reject(new Error(`viewers exited (${code})`)));
        rl.once('line', (l) => (l === 'connected' ? resolve() : reject(new Error(l))));
      });
      rl.on('line', (l) => lines.push(l));
    }
    await new Promise((r) => setTimeout(r, WARMUP_MS)); // past the fast-start burst of cached GOPs
    const m0 = await scrape();
    child?.stdin!.write('start\n');
    const cpu0 = cpuMs(pid);
    const viewerCpu0 = child ? totalCpuMs(child.pid!) : 0;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu1 = cpuMs(pid);
    const userMs = cpu1.userMs - cpu0.userMs;
    const sysMs = cpu1.sysMs - cpu0.sysMs;
    const recorderMs = userMs + sysMs;
    const viewerCpuMs = child ? totalCpuMs(child.pid!) - viewerCpu0 : 0;
    const wall = (performance.now() - t0) / 1000;
    const rss = rssMb(pid);
    const m1 = await scrape();
    const latencies: number[] = [];
    let unmatched = 0;
    let skippedMessages = 0;
    if (child) {
      lines = [];
      const done = new Promise<void>((resolve) => createInterface({ input: child!.stdout! }).on('line', (l) => l.startsWith('done') && resolve()));
      child.stdin!.write('stop\n');
      await Promise.race([done, new Promise((r) => child!.once('exit', r))]);
      for (const l of lines) {
        if (l.startsWith('done')) skippedMessages = Number(l.split(' ')[1]);
        if (!l.startsWith('a ')) continue;
        const [, cam, key, t] = l.split(' ');
        const at = Number(t);
        // The send is stamped in the emulators' process and the arrival in the viewers': on a loaded machine the
        // stamp after a send can come later than the arrival it caused. A key repeats only once per loop of the
        // media (60 s), so the send within 1 s after the arrival is still this frame's, not the last loop's.
        const sentAt = sends.get(`${cam} ${key}`)?.filter((s) => s <= at + 1000).pop();
        if (sentAt === undefined) unmatched++;
        else latencies.push(Math.max(0, at - sentAt));
      }
      child.kill('SIGTERM');
    }
    latencies.sort((a, b) => a - b);
    if (n === 0) baselines.push(recorderMs / wall);
    phases.push({
      viewers: n,
      seconds: round(wall, 1),
      recorderCpuMsPerCameraSecond: round(recorderMs / (CAMERAS * wall)),
      recorderUserSysMsPerCameraSecond: [round(userMs / (CAMERAS * wall)), round(sysMs / (CAMERAS * wall))],
      recorderCores: round(recorderMs / 1000 / wall),
      recorderMsPerSecond: recorderMs / wall,
      fragmentsMeasured: latencies.length,
      unmatched,
      latencyMs: n > 0 ? { p50: round(quantile(latencies, 0.5), 1), p99: round(quantile(latencies, 0.99), 1), max: round(latencies[latencies.length - 1] ?? NaN, 1) } : null,
      skips: sum(m1, 'wyze_nvr_live_viewer_skips_total{') - sum(m0, 'wyze_nvr_live_viewer_skips_total{'),
      skippedMessagesAtViewers: skippedMessages,
      recorderRssMb: round(rss, 1),
      viewerProcessCores: round(viewerCpuMs / 1000 / wall),
    });
    console.log(JSON.stringify(phases[phases.length - 1]));
  }

  const totalSent = await fleet.stop();
  await new Promise((r) => setTimeout(r, 2000));
  const m = await scrape();
  const received = sum(m, 'wyze_nvr_camera_frames_total{');
  await api?.stop('SIGTERM');
  await rec.stop('SIGTERM');
  console.log(
    JSON.stringify({ cameras: CAMERAS, via: values.via ?? 'recorder', motion: values.motion, framesSent: totalSent, framesReceived: received, framesLost: totalSent - received }, null, 2),
  );
  const baseline = baselines.reduce((a, b) => a + b, 0) / baselines.length;
  console.log(`viewers | recorder ms/camera-s | extra ms/viewer-s (over the mean of the no-viewer phases) | latency p50 / p99 / max ms | skips`);
  for (const p of phases) {
    const l = p.latencyMs as { p50: number; p99: number; max: number } | null;
    const n = p.viewers as number;
    const extra = n > 0 ? round(((p.recorderMsPerSecond as number) - baseline) / n) : '-';
    console.log(`${n} | ${p.recorderCpuMsPerCameraSecond} | ${extra} | ${l ? `${l.p50} / ${l.p99} / ${l.max}` : '-'} | ${p.skips}`);
  }
  await setup.close();
}

if (values.role === 'emulators') {
  void runEmulatorFleet({ cameras: CAMERAS, video: values.video!, audio: values.audio, onVideoFrame: (cam, data) => process.stdout.write(`f ${cam} ${keyOf(data)} ${now().toFixed(3)}\n`) });
} else if (values.role === 'viewers') viewers();
else
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
