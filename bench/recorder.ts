// bench:recorder — N emulated 2K cameras (2560×1440, 20 fps, ~2 Mbit/s, AAC) in a child process, recorded
// by `wyze-nvr record` in another; prints the recorder's CPU per camera-second (user + sys, and by thread),
// the cores it used, RSS total and per camera, frames lost, and the CPU of `ffmpeg -c copy -f segment` on
// the same stream as a baseline.
//   npm run bench:recorder -- --cameras 10 --seconds 30 [--motion on|off] [--keyframe-pictures on|off] [--cpu-prof DIR] [--node-options '…']
// Needs PostgreSQL (TEST_DATABASE_URL or postgres@127.0.0.1) and ffmpeg.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePrometheus } from '../apps/recorder/src/metrics/prometheus';
import { openBenchSetup } from './support/bench-setup';
import { runEmulatorFleet, spawnEmulatorFleet } from './support/emulator-fleet';
import { childrenCpuMs, cpuMs, rssMb, threadCpuMs } from './support/proc-stats';
import { CliProcess } from '../test/support/cli';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    role: { type: 'string' },
    video: { type: 'string' },
    audio: { type: 'string' },
    /** Directory for a V8 CPU profile of the recorder over the measured window. */
    'cpu-prof': { type: 'string' },
    /** Extra NODE_OPTIONS for the recorder, e.g. '--max-semi-space-size=64'. */
    'node-options': { type: 'string' },
    /** RECORDER_MOTION for the recorder (default: the recorder's own default, on). */
    motion: { type: 'string' },
    /** RECORDER_MOTION_KEYFRAME_PICTURES (default: the recorder's own, on): off runs no ffmpeg decoders. */
    'keyframe-pictures': { type: 'string' },
  },
});
const CAMERAS = Number(values.cameras);
const SECONDS = Number(values.seconds);

/**
 * A preload for the recorder (NODE_OPTIONS --require): the first SIGUSR2 opens the measured window, the
 * second closes it and writes `gc.json` (collections by kind, main-thread ms) to `dir`, and, when `cpuProf`
 * is given, a V8 CPU profile of the window (node refuses --cpu-prof in NODE_OPTIONS).
 */
function windowHook(dir: string, cpuProf: string | undefined): string {
  const path = join(dir, 'bench-window-hook.js');
  writeFileSync(
    path,
    `const { writeFileSync, mkdirSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const cpuProf = ${JSON.stringify(cpuProf ?? null)};
let session;
let on = false;
const gc = { scavenges: 0, markCompacts: 0, incrementalSteps: 0, mainThreadMs: 0 };
new PerformanceObserver((list) => {
  if (!on) return;
  for (const e of list.getEntries()) {
    const k = e.detail.kind;
    if (k === constants.NODE_PERFORMANCE_GC_MINOR) gc.scavenges++;
    else if (k === constants.NODE_PERFORMANCE_GC_MAJOR) gc.markCompacts++;
    else if (k === constants.NODE_PERFORMANCE_GC_INCREMENTAL) gc.incrementalSteps++;
    gc.mainThreadMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => {
  if (!on) {
    on = true;
    if (cpuProf) {
      session = new (require('node:inspector').Session)();
      session.connect();
      session.post('Profiler.enable', () => session.post('Profiler.start'));
    }
    return;
  }
  on = false;
  writeFileSync(${JSON.stringify(join(dir, 'gc.json'))}, JSON.stringify(gc));
  session?.post('Profiler.stop', (err, r) => {
    if (err) return;
    mkdirSync(cpuProf, { recursive: true });
    writeFileSync(cpuProf + '/recorder-' + process.pid + '.cpuprofile', JSON.stringify(r.profile));
  });
});
`,
  );
  return path;
}

async function main(): Promise<void> {
  const setup = await openBenchSetup('bench');
  const { media, ds, db, dir, secret, box } = setup;

  const fleet = await spawnEmulatorFleet([__filename, '--role', 'emulators', '--cameras', String(CAMERAS), '--video', media.video, '--audio', media.audio!]);
  const emu = fleet.child;
  const creds = fleet.credentials;
  for (const [i, c] of creds.entries()) {
    await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, 'HL_CAM4')`, [`bench ${i}`, c.uid, box.encrypt(c.enr), c.mac, c.port]);
  }
  const rec = new CliProcess(['record'], {
    DATABASE_URL: db.url,
    DATA_DIR: join(dir, 'data'),
    RECORDINGS_DIR: join(dir, 'recordings'),
    SECRET_KEY: secret.toString('hex'),
    LOG_LEVEL: 'info',
    RECORDER_METRICS_PORT: '0',
    RECORDER_STALL_SECONDS: '30',
    NODE_OPTIONS: `--require ${windowHook(dir, values['cpu-prof'])} ${values['node-options'] ?? ''}`.trim(),
    RECORDER_MOTION: values.motion,
    RECORDER_MOTION_KEYFRAME_PICTURES: values['keyframe-pictures'],
  });
  const url = (await rec.waitFor(/metrics at (http:\/\/\S+\/metrics)/, 120_000).catch(() => null))?.[1];
  if (!url) throw new Error(`recorder did not start:\n${rec.output.slice(-2000)}`);
  const scrape = async () => parsePrometheus(await (await fetch(url)).text());
  const sum = (m: Map<string, number>, prefix: string, filter = '') => [...m].filter(([k]) => k.startsWith(prefix) && k.includes(filter)).reduce((n, [, v]) => n + v, 0);
  // Warm-up: every camera recording.
  const warmDeadline = Date.now() + 120_000;
  for (;;) {
    const m = await scrape();
    const recording = sum(m, 'wyze_nvr_camera_state{', 'state="recording"');
    if (recording === CAMERAS) break;
    if (Date.now() > warmDeadline) throw new Error(`only ${recording} of ${CAMERAS} cameras recording`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const pid = rec.child.pid!;
  process.kill(pid, 'SIGUSR2');
  const cpu0 = cpuMs(pid);
  const threads0 = threadCpuMs(pid);
  const children0 = childrenCpuMs(pid);
  const emuCpu0 = cpuMs(emu.pid!);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu1 = cpuMs(pid);
  const threads1 = threadCpuMs(pid);
  const children1 = childrenCpuMs(pid);
  const emuCpu1 = cpuMs(emu.pid!);
  process.kill(pid, 'SIGUSR2');
  const wall = (performance.now() - t0) / 1000;
  const rss = rssMb(pid);
  const totalSent = await fleet.stop();
  await new Promise((r) => setTimeout(r, 2000));
  const m = await scrape();
  const received = sum(m, 'wyze_nvr_camera_frames_total{');
  const dropped = sum(m, 'wyze_nvr_camera_frames_dropped_total{', 'assembler:') + sum(m, 'wyze_nvr_camera_frames_dropped_total{', 'session:');
  const buffersReused = sum(m, 'wyze_nvr_frame_buffers_acquired_total{', 'reused="true"');
  const buffersAcquired = sum(m, 'wyze_nvr_frame_buffers_acquired_total{');
  await rec.stop('SIGTERM');

  // Baseline: ffmpeg copying the same stream (video + audio) into segments in real time, for the same time.
  const out = join(dir, 'ffmpeg');
  spawnSync('mkdir', ['-p', out]);
  const ff = spawnSync(
    'bash',
    ['-c', `TIMEFORMAT='%3U %3S'; time ffmpeg -nostdin -v error -re -framerate 20 -stream_loop -1 -i '${media.video}' -stream_loop -1 -i '${media.audio}' -t ${SECONDS} -map 0:v -map 1:a -c copy -f segment -segment_time 60 -reset_timestamps 1 '${out}/%05d.mp4'`],
    { encoding: 'utf8' },
  );
  const [u, s] = ff.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const ffmpegMs = (u + s) * 1000;

  const camSec = CAMERAS * wall;
  const userMs = cpu1.userMs - cpu0.userMs;
  const sysMs = cpu1.sysMs - cpu0.sysMs;
  const perCamSec = (ms: number) => Number((ms / camSec).toFixed(3));
  const byThread: Record<string, number> = {};
  for (const [name, ms] of threads1) {
    const d = ms - (threads0.get(name) ?? 0);
    if (d > 0) byThread[name] = perCamSec(d);
  }
  const gc = JSON.parse(readFileSync(join(dir, 'gc.json'), 'utf8')) as { scavenges: number; markCompacts: number; incrementalSteps: number; mainThreadMs: number };
  let childMs = 0;
  for (const [p, ms] of children1) childMs += ms - (children0.get(p) ?? 0);
  const result = {
    cameras: CAMERAS,
    seconds: Number(wall.toFixed(1)),
    recorderCpuMsPerCameraSecond: perCamSec(userMs + sysMs),
    recorderUserMsPerCameraSecond: perCamSec(userMs),
    recorderSysMsPerCameraSecond: perCamSec(sysMs),
    /** user + sys by thread, ms per camera-second. */
    recorderCpuByThread: byThread,
    recorderCpuCores: Number(((userMs + sysMs) / 1000 / wall).toFixed(3)),
    /** Collections in the window; the main-thread pause is in `main` above, the concurrent marking in the helper threads. */
    recorderGc: { scavenges: gc.scavenges, markCompacts: gc.markCompacts, mainThreadMsPerCameraSecond: perCamSec(gc.mainThreadMs) },
    /** The recorder's child processes (ffmpeg keyframe thumbnailers for motion detection), not in the figures above. */
    recorderChildProcesses: children1.size,
    recorderChildrenCpuMsPerCameraSecond: perCamSec(childMs),
    recorderRssMb: Number(rss.toFixed(1)),
    rssMbPerCamera: Number((rss / CAMERAS).toFixed(2)),
    framesSent: totalSent,
    framesReceived: received,
    framesLost: totalSent - received,
    assemblerAndSessionDrops: dropped,
    /** Video frame buffers the recorder's pool handed out over its life, and the share that reused a written frame's. */
    frameBuffersAcquired: buffersAcquired,
    frameBuffersReusedPercent: buffersAcquired ? Number(((100 * buffersReused) / buffersAcquired).toFixed(1)) : 0,
    ffmpegCopyCpuMsPerCameraSecond: Number((ffmpegMs / SECONDS).toFixed(3)),
    /** The camera emulators share the machine: their CPU is what is left for nobody else. */
    emulatorCpuCores: Number(((emuCpu1.userMs + emuCpu1.sysMs - emuCpu0.userMs - emuCpu0.sysMs) / 1000 / wall).toFixed(3)),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `recorder: ${result.recorderCpuMsPerCameraSecond} ms CPU per camera-second (user ${result.recorderUserMsPerCameraSecond} + sys ${result.recorderSysMsPerCameraSecond}), ` +
      `${result.recorderCpuCores} cores for ${CAMERAS} cameras, RSS ${result.recorderRssMb} MB (${result.rssMbPerCamera} MB per camera), ` +
      `${result.framesLost} of ${totalSent} frames lost; ffmpeg -c copy: ${result.ffmpegCopyCpuMsPerCameraSecond} ms per camera-second`,
  );
  await setup.close();
}

if (values.role === 'emulators') void runEmulatorFleet({ cameras: CAMERAS, video: values.video!, audio: values.audio });
else
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
