// CPU cost of motion detection per camera.
//   node -r ./scripts/register.js libs/motion/bench/detector.bench.ts
// 1. Slice-header path (MotionDetector.push): a synthetic 2K-like H.264 stream (20 fps, GOP 40, ~150 KB
//    keyframes, ~25 KB P-frames in 2 slices) and, when present, the 720p evaluation fixtures.
// 2. Keyframe path: KeyframeChangeScorer on 160×90 pictures, and ffmpeg decoding 2560×1440 keyframes to
//    thumbnails (KeyframeThumbnailer; the clip is generated once into bench/media/motion/).
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyframeChangeScorer, KeyframeThumbnailer, MotionDetector, splitAccessUnits, type LumaPicture, type MotionFrame } from '../src';
import { annexB, h264Pps, h264Slice, h264Sps } from '../test/h264-writer';

const FPS = 20;
const root = join(__dirname, '..', '..', '..');
const media = join(root, 'bench', 'media', 'motion');

function perFrame(frames: MotionFrame[], rounds: number, options = {}): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const d = new MotionDetector(options);
    const t0 = performance.now();
    for (const f of frames) d.push(f);
    best = Math.min(best, ((performance.now() - t0) * 1000) / frames.length);
  }
  return best;
}

const report = (name: string, us: number, perSecond = FPS) =>
  console.log(`${name.padEnd(48)} ${us.toFixed(1).padStart(8)} µs/frame  ${((us * perSecond) / 1000).toFixed(3).padStart(7)} ms CPU per camera-second`);

// 1. Slice headers.
const sps = h264Sps();
const pps = h264Pps(26);
const synthetic: MotionFrame[] = [];
for (let i = 0; i < 60 * FPS; i++) {
  const key = i % 40 === 0;
  const qp = 28 + (i % 5);
  const slices = key
    ? [h264Slice({ idr: true, qp, bytes: 75_000, picInitQp: 26, firstMb: 0 }), h264Slice({ idr: true, qp, bytes: 75_000, picInitQp: 26, firstMb: 7200 })]
    : [h264Slice({ idr: false, qp, bytes: 12_500, picInitQp: 26, firstMb: 0, frameNum: i % 16 }), h264Slice({ idr: false, qp, bytes: 12_500, picInitQp: 26, firstMb: 7200, frameNum: i % 16 })];
  synthetic.push({ timeUs: i * 50_000, keyframe: key, data: annexB(key ? [sps, pps, ...slices] : slices), codec: 'h264' });
}
console.log('slice-header path (MotionDetector.push: Annex-B split, slice headers, score, events)');
report('synthetic 2K-like H.264, ~4 Mbit/s, 2 slices', perFrame(synthetic, 5));
for (const name of ['objects.h264-cbr.264', 'objects.h265-cbr.265']) {
  const file = join(media, name);
  if (!existsSync(file)) continue;
  const codec = name.includes('h265') ? 'h265' : 'h264';
  const frames = splitAccessUnits(new Uint8Array(readFileSync(file)), codec).map((u, i) => ({ timeUs: i * 50_000, keyframe: u.keyframe, data: u.data, codec }) as MotionFrame);
  report(`fixture ${name} (720p, 800 kbit/s)`, perFrame(frames, 3));
}

// 2. Keyframes.
console.log('\nkeyframe path (one keyframe per 2 s GOP)');
const pics: LumaPicture[] = [];
let seed = 5;
for (let k = 0; k < 50; k++) {
  const luma = new Uint8Array(160 * 90);
  for (let i = 0; i < luma.length; i++) luma[i] = ((i % 160) + (i >> 5) + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 29)) & 255;
  pics.push({ width: 160, height: 90, luma });
}
const scorer = new KeyframeChangeScorer();
const s0 = performance.now();
for (let r = 0; r < 10; r++) for (const p of pics) scorer.push(p);
const scoreUs = ((performance.now() - s0) * 1000) / (10 * pics.length);
console.log(`${'KeyframeChangeScorer, 160×90'.padEnd(48)} ${scoreUs.toFixed(1).padStart(8)} µs/keyframe ${(scoreUs / 2 / 1000).toFixed(3).padStart(7)} ms CPU per camera-second`);

const clip = join(media, 'bench-2k.264');
if (!existsSync(clip)) {
  mkdirSync(media, { recursive: true });
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'mandelbrot=size=2560x1440:rate=20,trim=end_frame=1,loop=loop=-1:size=1,setpts=N/(20*TB),noise=alls=6:allf=t',
    '-t', '10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k', '-g', '40', '-bf', '0', '-x264-params', 'scenecut=0', '-f', 'h264', clip]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`);
}
const keyframes = splitAccessUnits(new Uint8Array(readFileSync(clip)), 'h264').filter((u) => u.keyframe);
void (async () => {
  const t = new KeyframeThumbnailer('h264');
  const rounds = 8;
  const all: Promise<LumaPicture>[] = [];
  let done = 0;
  for (let r = 0; r < rounds; r++) for (const k of keyframes) all.push(t.decode(k.data).then((p) => (done++, p)));
  // ffmpeg's own CPU time (utime + stime, clock ticks), read before it exits; startup is included once.
  const cpuTicks = () => {
    const stat = readFileSync(`/proc/${t.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(stat[11]) + Number(stat[12]);
  };
  // ffmpeg answers a keyframe or two behind its input: wait until answers stop coming, then count.
  for (let last = -1; done !== last; ) {
    last = done;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const ticks = cpuTicks();
  const decoded = done;
  await t.close();
  await Promise.all(all);
  const perKeyMs = (ticks * 10) / decoded;
  console.log(`${'ffmpeg keyframe → 160×90 grey, 2560×1440 H.264'.padEnd(48)} ${(perKeyMs * 1000).toFixed(0).padStart(8)} µs/keyframe ${(perKeyMs / 2).toFixed(3).padStart(7)} ms CPU per camera-second (clock ticks of 10 ms)`);
})();
