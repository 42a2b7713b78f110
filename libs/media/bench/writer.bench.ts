// Micro-benchmark of the recorder's hot path: Annex-B frame in → fragment chunks out.
//   node -r ./scripts/register.js libs/media/bench/writer.bench.ts
// 2K-like stream: 2560x1440 at 20 fps, GOP 40, ~160 KB keyframes and ~40 KB P-frames (~14 Mbit/s,
// well above a camera's), plus 16 kHz AAC. Slice payloads are synthetic (the writer never decodes them).
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FragmentedMp4Writer, aacConfigFromAdts, splitAnnexB, videoConfigFromParameterSets, h264NalType } from '../src';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'media');
const nals = splitAnnexB(new Uint8Array(readFileSync(join(fixtures, 'h264-1080p20-crop.h264'))));
const sps = nals.find((n) => h264NalType(n) === 7)!;
const pps = nals.find((n) => h264NalType(n) === 8)!;
const video = videoConfigFromParameterSets('h264', { sps: [sps], pps: [pps] });
const audio = aacConfigFromAdts(new Uint8Array(readFileSync(join(fixtures, 'aac-16k-mono.aac'))));

let seed = 99;
function payload(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 1 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) % 255; // never 0: no start codes
  return b;
}
function annexB(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set([0, 0, 0, 1], o);
    out.set(p, o + 4);
    o += 4 + p.length;
  }
  return out;
}
const aud = new Uint8Array([0x09, 0xf0]);
const idr = payload(160_000);
idr[0] = 0x65;
const pSlice = payload(40_000);
pSlice[0] = 0x41;
const keyframe = annexB([aud, sps, pps, idr]);
const pframe = annexB([aud, pSlice]);
const aacFrame = payload(180);

function runOnce(frames: number, contiguous: boolean): { ms: number; bytesIn: number; bytesOut: number } {
  // bytesOut is returned so the output cannot be optimised away.
  const writer = new FragmentedMp4Writer({ video, audio }, { baseTimeUs: 0 });
  let bytesIn = 0;
  let bytesOut = writer.init().length;
  let audioT = 0;
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    const t = i * 50_000;
    const key = i % 40 === 0;
    if (key && i > 0) {
      if (contiguous) bytesOut += writer.flushFragment(t)!.length;
      else bytesOut += writer.flush(t)!.byteLength;
    }
    const data = key ? keyframe : pframe;
    writer.addVideoFrame({ data, timeUs: t, keyframe: key });
    bytesIn += data.length;
    while (audioT < t + 50_000) {
      writer.addAudioFrame({ data: aacFrame, timeUs: audioT });
      bytesIn += aacFrame.length;
      audioT += 64_000;
    }
  }
  bytesOut += contiguous ? (writer.flushFragment()?.length ?? 0) : (writer.flush()?.byteLength ?? 0);
  return { ms: performance.now() - t0, bytesIn, bytesOut };
}

const frames = 4000; // 200 s of video, 100 fragments
for (const contiguous of [false, true]) {
  runOnce(400, contiguous); // warm-up
  const runs = [0, 1, 2].map(() => runOnce(frames, contiguous));
  const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
  const mbps = best.bytesIn / 1e6 / (best.ms / 1e3);
  console.log(
    `${contiguous ? 'flushFragment (one buffer)' : 'flush (writev chunks)    '}: ${frames} frames, ${(best.bytesIn / 1e6).toFixed(1)} MB in, ` +
      `${(best.ms / frames * 1000).toFixed(2)} µs/frame, ${mbps.toFixed(0)} MB/s`,
  );
}
