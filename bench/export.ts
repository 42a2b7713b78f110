// Export throughput: 1 hour of 2560×1440 H.264 (60 one-minute segments written from an ffmpeg-made clip,
// looped) copied into one MP4 by the API's fragment-copy path, beside `ffmpeg -f concat -c copy` on the same
// segments, plus the range-playback time to first byte. Prints figures; asserts nothing about speed.
//   node -r ./scripts/register.js bench/export.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyRange, FragmentedMp4Writer, indexFragmentedMp4, videoConfigFromAccessUnit } from '@wyze-nvr/media';
import { accessUnits } from '../test/support/api-recordings';

const FPS = 20;
const FRAME_US = 1e6 / FPS;
const SEGMENT_S = 60;
const SEGMENTS = 60;
const T0 = 1_760_000_000_000_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    // 10 s of 2K video, camera-like (20 fps, IDR every 2 s, no B-frames, AUDs), ~4 Mbit/s.
    const clip = join(dir, 'clip.h264');
    const t = performance.now();
    const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=2560x1440:rate=${FPS}:duration=10`, '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-g', '40', '-keyint_min', '40', '-sc_threshold', '0', '-bf', '0', '-x264-params', 'aud=1:repeat-headers=1', '-f', 'h264', clip]);
    if (r.status !== 0) throw new Error(String(r.stderr));
    const frames = accessUnits(new Uint8Array(readFileSync(clip)), 'h264');
    const config = { video: videoConfigFromAccessUnit('h264', frames[0])! };
    const segments: { startUs: number; file: string; id: number }[] = [];
    let total = 0;
    for (let s = 0; s < SEGMENTS; s++) {
      const startUs = T0 + s * SEGMENT_S * 1e6;
      const w = new FragmentedMp4Writer(config, { baseTimeUs: startUs });
      const parts: Uint8Array[] = [w.init()];
      const n = SEGMENT_S * FPS;
      for (let i = 0; i < n; i++) {
        const timeUs = startUs + i * FRAME_US;
        if (i > 0 && i % 40 === 0) parts.push(...(w.flush(timeUs)?.chunks ?? []));
        w.addVideoFrame({ data: frames[(s * n + i) % frames.length], timeUs });
      }
      parts.push(...(w.flush(startUs + n * FRAME_US)?.chunks ?? []));
      const file = join(dir, `seg-${s}.mp4`);
      const buf = Buffer.concat(parts);
      writeFileSync(file, buf);
      total += buf.length;
      segments.push({ startUs, file, id: s });
    }
    console.log(`generated ${SEGMENTS} × ${SEGMENT_S} s segments of 2560×1440, ${(total / 1e6).toFixed(1)} MB, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const openIndexed = async (file: string) => {
      const fh = await open(file, 'r');
      const size = (await fh.stat()).size;
      const read = async (offset: number, length: number) => {
        const b = Buffer.allocUnsafe(length);
        await fh.read(b, 0, length, offset);
        return b;
      };
      return { index: await indexFragmentedMp4({ size, read }), size, read, close: () => fh.close() };
    };
    const range = { fromUs: T0 + 1.5e6, toUs: T0 + SEGMENTS * SEGMENT_S * 1e6 };

    // Time to first byte: plan the first segment, send the init segment.
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      const gen = copyRange(segments, openIndexed, range);
      await gen.next();
      const ttfb = performance.now() - t0;
      await gen.return(undefined as never);
      console.log(`range playback (1 h): time to first byte ${ttfb.toFixed(1)} ms`);
    }

    const out = join(dir, 'export.mp4');
    for (let round = 0; round < 2; round++) {
      const t0 = performance.now();
      const fh = await open(out, 'w');
      for await (const chunk of copyRange(segments, openIndexed, range)) await fh.write(chunk);
      await fh.close();
      const s = (performance.now() - t0) / 1000;
      const bytes = statSync(out).size;
      console.log(`export (fragment copy): ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${(bytes / 1e6 / s).toFixed(0)} MB/s`);
    }

    const list = join(dir, 'list.txt');
    writeFileSync(list, segments.map((s) => `file '${s.file}'`).join('\n'));
    mkdirSync(join(dir, 'ff'), { recursive: true });
    for (let round = 0; round < 2; round++) {
      const ffOut = join(dir, 'ff', `concat-${round}.mp4`);
      const t0 = performance.now();
      const c = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', ffOut]);
      const s = (performance.now() - t0) / 1000;
      if (c.status !== 0) throw new Error(String(c.stderr));
      const bytes = statSync(ffOut).size;
      console.log(`ffmpeg -f concat -c copy: ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${(bytes / 1e6 / s).toFixed(0)} MB/s`);
    }
    const check = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    console.log(`export duration by ffprobe: ${Number(check.stdout).toFixed(2)} s (requested ${((range.toUs - T0 - 0) / 1e6).toFixed(2)} s from the keyframe at 0)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
