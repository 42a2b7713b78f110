// Slice-header QPs checked against encoders told which QP to use and against ffmpeg's own header parser
// (trace_headers); keyframe decoding through ffmpeg; and the detector end to end on a short generated clip.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  h264NalType,
  h265NalType,
  parseH264Pps,
  parseH264Sps,
  parseH265Pps,
  parseH265Sps,
  splitAccessUnits,
  splitAnnexB,
  type H264Pps,
  type H264Sps,
  type H265Pps,
  type H265Sps,
} from '@wyze-nvr/media';
import { parseH264SliceHeader } from './h264-slice';
import { isH265Vcl, parseH265SliceHeader } from './h265-slice';
import { KeyframeThumbnailer, keyframeThumbnailArgs } from './keyframe-thumbnailer';
import { MotionDetector, type MotionDetectorEvent } from './motion-detector';
import type { LumaPicture } from './keyframe-change';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'motion-int-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

function ffmpeg(args: string[]): string {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-y', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

/** A clip of a moving test pattern with noise, 20 fps, GOP 20, no B-frames. */
function encode(name: string, codec: 'h264' | 'h265', params: string[], seconds = 3, size = '320x180'): string {
  const out = join(dir, name);
  const src = `testsrc2=size=${size}:rate=20,noise=alls=8:allf=t`;
  ffmpeg(['-f', 'lavfi', '-i', src, '-t', String(seconds), '-pix_fmt', 'yuv420p', ...params, '-f', codec === 'h264' ? 'h264' : 'hevc', out]);
  return out;
}

/** Every slice's QP in stream order, by our parser (null for dependent slice segments). */
function ourQps(file: string, codec: 'h264' | 'h265'): (number | null)[] {
  const out: (number | null)[] = [];
  if (codec === 'h264') {
    const sps = new Map<number, H264Sps>();
    const pps = new Map<number, H264Pps>();
    for (const nal of splitAnnexB(new Uint8Array(readFileSync(file)))) {
      const t = h264NalType(nal);
      if (t === 7) sps.set(parseH264Sps(nal).spsId, parseH264Sps(nal));
      else if (t === 8) pps.set(parseH264Pps(nal).ppsId, parseH264Pps(nal));
      else if (t === 1 || t === 5) out.push(parseH264SliceHeader(nal, { sps, pps }).qp);
    }
  } else {
    const sps = new Map<number, H265Sps>();
    const pps = new Map<number, H265Pps>();
    for (const nal of splitAnnexB(new Uint8Array(readFileSync(file)))) {
      const t = h265NalType(nal);
      if (t === 33) sps.set(parseH265Sps(nal).spsId, parseH265Sps(nal));
      else if (t === 34) pps.set(parseH265Pps(nal).ppsId, parseH265Pps(nal));
      else if (isH265Vcl(nal)) out.push(parseH265SliceHeader(nal, { sps, pps }).qp);
    }
  }
  return out;
}

/** Every (independent) slice's QP as ffmpeg's trace_headers bitstream filter reads it. */
function ffmpegQps(file: string): number[] {
  const log = ffmpeg(['-v', 'trace', '-i', file, '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-']);
  const qps: number[] = [];
  let init = 0;
  for (const line of log.split('\n')) {
    const m = /\s(pic_init_qp_minus26|init_qp_minus26|slice_qp_delta)\s+\S+\s+=\s+(-?\d+)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === 'slice_qp_delta') qps.push(26 + init + Number(m[2]));
    else init = Number(m[2]);
  }
  return qps;
}

const x264 = (extra: string) => ['-c:v', 'libx264', '-g', '20', '-bf', '0', '-x264-params', `scenecut=0:${extra}`];
const x265 = (extra: string) => ['-c:v', 'libx265', '-x265-params', `keyint=20:min-keyint=20:scenecut=0:bframes=0:log-level=error:${extra}`];

describe('slice QP against forced encoder QPs', () => {
  test('x264 -qp 37 with ipratio 1: every slice of every frame is QP 37 (3 slices per frame)', () => {
    const f = encode('qp37.264', 'h264', [...x264('slices=3:ipratio=1'), '-qp', '37']);
    const qps = ourQps(f, 'h264');
    assert.equal(qps.length, 60 * 3);
    assert.ok(qps.every((q) => q === 37), JSON.stringify(qps.slice(0, 10)));
  });

  test('x264 -qp 22 with the default ipratio: P slices 22, I slices lower', () => {
    const f = encode('qp22.264', 'h264', [...x264('cabac=1'), '-preset', 'veryfast', '-qp', '22']);
    const units = splitAccessUnits(new Uint8Array(readFileSync(f)), 'h264');
    const qps = ourQps(f, 'h264');
    units.forEach((u, i) => (u.keyframe ? assert.ok(qps[i]! < 22) : assert.equal(qps[i], 22)));
  });

  test('x265 qp=33 with ipratio 1: every slice is QP 33 (2 slices per frame)', () => {
    const f = encode('qp33.265', 'h265', [...x265('qp=33:ipratio=1:slices=2'), '-preset', 'ultrafast']);
    const qps = ourQps(f, 'h265');
    assert.equal(qps.length, 60 * 2);
    assert.ok(qps.every((q) => q === 33));
  });
});

describe('slice QP against ffmpeg trace_headers', () => {
  const cases: [string, 'h264' | 'h265', string[]][] = [
    ['h264 CBR, weighted prediction, 4 refs, 2 slices', 'h264', [...x264('slices=2:weightp=2:ref=4:nal-hrd=cbr'), '-preset', 'medium', '-b:v', '300k', '-minrate', '300k', '-maxrate', '300k', '-bufsize', '300k']],
    ['h264 capped CRF, CAVLC, baseline', 'h264', [...x264('cabac=0'), '-profile:v', 'baseline', '-crf', '26', '-maxrate', '200k', '-bufsize', '400k']],
    ['h264 B-frames and adaptive quantization', 'h264', ['-c:v', 'libx264', '-preset', 'fast', '-bf', '2', '-crf', '30']],
    ['h265 veryfast (SAO, weighted prediction, temporal MVP), CBR', 'h265', [...x265('bitrate=300:vbv-maxrate=300:vbv-bufsize=300:strict-cbr=1:weightp=1:slices=2'), '-preset', 'veryfast']],
    ['h265 B-frames, several references', 'h265', ['-c:v', 'libx265', '-preset', 'medium', '-x265-params', 'bframes=3:ref=3:crf=30:keyint=30:log-level=error']],
    ['h265 capped CRF, 4 slices per picture', 'h265', [...x265('slices=4:crf=26:vbv-maxrate=300:vbv-bufsize=600'), '-preset', 'ultrafast']],
  ];
  for (const [name, codec, params] of cases) {
    test(name, () => {
      const f = encode(`${name.replace(/\W+/g, '-')}.${codec === 'h264' ? '264' : '265'}`, codec, params);
      const ours = ourQps(f, codec).filter((q): q is number => q !== null);
      const theirs = ffmpegQps(f);
      assert.ok(theirs.length >= 60);
      assert.deepEqual(ours, theirs);
    });
  }
});

describe('KeyframeThumbnailer', () => {
  test('decodes every keyframe, in order, to the same pictures as a batch decode', async () => {
    const f = encode('thumb.264', 'h264', [...x264(''), '-preset', 'veryfast', '-crf', '28'], 6);
    const keyframes = splitAccessUnits(new Uint8Array(readFileSync(f)), 'h264').filter((u) => u.keyframe);
    assert.equal(keyframes.length, 6);
    const args = keyframeThumbnailArgs(160, 90);
    const batch = spawnSync('ffmpeg', ['-v', 'error', '-skip_frame', 'nokey', ...args.input, '-i', f, ...args.output, '-']);
    const t = new KeyframeThumbnailer('h264');
    // `written` once per keyframe, and before its picture: ffmpeg cannot answer before it has the bytes.
    const written = keyframes.map(() => 0);
    const pictures = keyframes.map((k, i) =>
      t.decode(k.data, () => written[i]++).then((p) => {
        assert.equal(written[i], 1, `keyframe ${i} answered before its bytes were written`);
        return p;
      }),
    );
    await t.close();
    const got = await Promise.all(pictures);
    assert.deepEqual(written, keyframes.map(() => 1));
    got.forEach((p, i) => {
      assert.equal(p.luma.length, 160 * 90);
      assert.deepEqual(Buffer.from(p.luma), batch.stdout.subarray(i * 14400, (i + 1) * 14400));
    });
  });

  test('after ffmpeg has gone, requests fail instead of hanging', async () => {
    const t = new KeyframeThumbnailer('h264', { ffmpegPath: join(dir, 'no-such-ffmpeg') });
    let written = 0;
    await assert.rejects(t.decode(new Uint8Array([0, 0, 0, 1, 0x65, 0x88]), () => written++));
    await assert.rejects(t.decode(new Uint8Array([0, 0, 0, 1, 0x65, 0x88]), () => written++));
    await t.close();
    await new Promise((r) => setImmediate(r));
    assert.equal(written, 2, 'the buffer is given back when the write fails, and when ffmpeg is known gone');
  });
});

describe('MotionDetector end to end', () => {
  test('a box crossing a noisy still scene at 8–12 s (CBR) is one event, and nothing else is', async () => {
    const f = join(dir, 'e2e.264');
    const graph =
      'mandelbrot=size=320x180:rate=20,trim=end_frame=1,loop=loop=-1:size=1,setpts=N/(20*TB),format=yuv420p[bg];' +
      'testsrc2=size=32x48:rate=20,format=yuv420p[o];' +
      "[bg][o]overlay=x='20+60*(t-8)':y=80:enable='gte(t,8)*lt(t,12)',noise=alls=6:allf=t,trim=duration=18[v]";
    ffmpeg(['-filter_complex', graph, '-map', '[v]', ...x264('nal-hrd=cbr'), '-preset', 'veryfast', '-b:v', '150k', '-minrate', '150k', '-maxrate', '150k', '-bufsize', '150k', '-g', '40', '-f', 'h264', f]);
    const units = splitAccessUnits(new Uint8Array(readFileSync(f)), 'h264');
    assert.equal(units.length, 360);
    const thumbnailer = new KeyframeThumbnailer('h264');
    // All frames go in before ffmpeg has answered (it answers at close), so no keyframe may be given up.
    const detector = new MotionDetector({ keyframePictures: true, maxAwaitingPictures: 100 });
    const events: MotionDetectorEvent[] = [];
    const decoding: Promise<[number, LumaPicture]>[] = [];
    units.forEach((u, i) => {
      const timeUs = i * 50_000;
      events.push(...detector.push({ timeUs, keyframe: u.keyframe, data: u.data, codec: 'h264' }));
      if (u.keyframe) decoding.push(thumbnailer.decode(u.data).then((p) => [timeUs, p]));
    });
    await thumbnailer.close();
    for (const [timeUs, p] of await Promise.all(decoding)) events.push(...detector.pushPicture(timeUs, p));
    events.push(...detector.flush());
    const ends = events.filter((e) => e.type === 'end');
    assert.equal(ends.length, 1, JSON.stringify(events));
    assert.ok(ends[0].startUs < 12_000_000 && ends[0].endUs > 8_000_000, JSON.stringify(ends[0]));
    assert.equal(detector.stats.sliceErrors, 0);
  });
});
