// Test support: fixture loading and access-unit splitting, independent of the code under test where it matters.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'media');

export function fixture(name: string): Uint8Array {
  const b = readFileSync(join(FIXTURES, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/**
 * Splits an Annex-B fixture into access units at each access unit delimiter (the fixtures carry one per
 * frame). Written with its own byte scan so it does not share code with splitAnnexB.
 */
export function accessUnits(data: Uint8Array, codec: 'h264' | 'h265'): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const type = codec === 'h264' ? data[i + 3] & 0x1f : (data[i + 3] >> 1) & 0x3f;
      if (type === (codec === 'h264' ? 9 : 35)) starts.push(i > 0 && data[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  return starts.map((s, k) => data.subarray(s, k + 1 < starts.length ? starts[k + 1] : data.length));
}

/**
 * The NAL units of an access unit that belong in an MP4 sample (no AUD, parameter sets or filler),
 * each prefixed with its 4-byte length: what the sample bytes must be. Own scan, for independence.
 */
export function expectedSample(au: Uint8Array, codec: 'h264' | 'h265'): Uint8Array {
  const bounds: number[][] = [];
  for (let i = 0; i + 3 <= au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
      if (bounds.length) bounds[bounds.length - 1][1] = i;
      bounds.push([i + 3, au.length]);
      i += 2;
    }
  }
  const parts: Buffer[] = [];
  for (const [s, e0] of bounds) {
    let e = e0;
    while (e > s && au[e - 1] === 0) e--;
    const nal = au.subarray(s, e);
    const type = codec === 'h264' ? nal[0] & 0x1f : (nal[0] >> 1) & 0x3f;
    const drop = codec === 'h264' ? [7, 8, 9, 12].includes(type) : [32, 33, 34, 35, 38].includes(type);
    if (drop) continue;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(nal.length);
    parts.push(len, Buffer.from(nal));
  }
  return new Uint8Array(Buffer.concat(parts));
}

export function sha1(b: Uint8Array): string {
  return createHash('sha1').update(b).digest('hex');
}

export function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function ffprobeJson(file: string): { streams: Record<string, unknown>[]; format: Record<string, unknown> } {
  const r = run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file]);
  if (r.status !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
