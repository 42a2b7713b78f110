import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ByteSource, indexFragmentedMp4, readFragmentedMp4 } from './fmp4-reader';
import { MediaParseError, MediaWriteError } from './errors';
import { planFragmentCopy } from './fragment-copy';
import { recordFixture } from '../test/support';

const rec = recordFixture({ video: 'h264', audio: 'aac', startUs: 5_000_000, frames: [0, 120] });
const whole = readFragmentedMp4(rec.file);

describe('readFragmentedMp4', () => {
  test('whole file: tracks, three GOP fragments, nothing truncated', () => {
    assert.deepEqual(whole.tracks.map((t) => [t.trackId, t.kind, t.sampleEntryType, t.timescale]), [
      [1, 'video', 'avc1', 90000],
      [2, 'audio', 'mp4a', 16000],
    ]);
    assert.deepEqual([whole.tracks[0].width, whole.tracks[0].height], [1280, 720]);
    assert.deepEqual([whole.tracks[1].channels, whole.tracks[1].sampleRate], [1, 16000]);
    assert.equal(whole.fragments.length, 3);
    assert.equal(whole.truncated, false);
    assert.equal(whole.completeLength, rec.file.length);
    assert.equal(whole.fragments[0].offset, whole.init.length);
    for (let i = 1; i < 3; i++) assert.equal(whole.fragments[i].offset, whole.fragments[i - 1].end);
  });

  test('cut anywhere: fragments before the cut survive, completeLength is the last complete fragment end', () => {
    const ends = whole.fragments.map((f) => f.end);
    const cuts = [
      whole.init.length + 3, // inside the first moof header
      whole.fragments[0].offset + 200, // inside the first moof
      whole.fragments[0].end - 1, // last byte of the first mdat missing
      whole.fragments[0].end, // exactly one fragment
      whole.fragments[1].end + 8, // moof header only
      whole.fragments[2].end - 100,
    ];
    for (const cut of cuts) {
      const f = readFragmentedMp4(rec.file.subarray(0, cut));
      const complete = ends.filter((e) => e <= cut);
      assert.equal(f.fragments.length, complete.length, `cut at ${cut}`);
      assert.equal(f.completeLength, complete.length ? complete[complete.length - 1] : whole.init.length, `cut at ${cut}`);
      assert.equal(f.truncated, cut !== ends[complete.length - 1], `cut at ${cut}`);
    }
  });

  test('every cut point parses without throwing once the moov is complete', () => {
    const step = 97;
    for (let cut = whole.init.length; cut < rec.file.length; cut += step) {
      const f = readFragmentedMp4(rec.file.subarray(0, cut));
      assert.ok(f.completeLength <= cut);
    }
  });

  test('a cut inside the moov, or no moov at all, is a MediaParseError', () => {
    assert.throws(() => readFragmentedMp4(rec.file.subarray(0, whole.init.length - 10)), (e: unknown) => e instanceof MediaParseError && e.code === 'truncated');
    assert.throws(() => readFragmentedMp4(rec.file.subarray(whole.fragments[0].offset)), (e: unknown) => e instanceof MediaParseError && e.code === 'missing');
  });

  test('corrupted bytes yield a result or a MediaParseError, never another exception', () => {
    let seed = 1234;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const header = whole.fragments[1].offset + 120; // moofs and the moov are where lengths live
    for (let k = 0; k < 1500; k++) {
      const bytes = rec.file.slice(0, whole.fragments[1].end);
      const at = k % 2 ? rnd(whole.init.length) : whole.fragments[1].offset + rnd(header - whole.fragments[1].offset);
      bytes[at] = rnd(256);
      readThenPlan(bytes, `flip at ${at}`);
    }
  });

  test('boxes of the file spliced in anywhere: a MediaParseError at read time, never a crash when copying', () => {
    let seed = 99;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const boxes = topLevelBoxes(rec.file);
    const moov = boxes.find((b) => b.type === 'moov')!;
    const otherMoov = retrack(rec.file.subarray(moov.start, moov.end), 1, 7);
    for (let k = 0; k < 300; k++) {
      const at = boxes[1 + rnd(boxes.length - 1)].start;
      const b = boxes[rnd(boxes.length)];
      const spliced = k % 3 === 0 ? otherMoov : rec.file.subarray(b.start, b.end);
      readThenPlan(Buffer.concat([rec.file.subarray(0, at), spliced, rec.file.subarray(at)]), `box at ${at}`);
    }
  });

  test('a second moov, under which fragments would name a track the file does not have, is invalid', () => {
    const moov = topLevelBoxes(rec.file).find((b) => b.type === 'moov')!;
    const videoRenumbered = retrack(rec.file.subarray(moov.start, moov.end), 1, 7);
    const bytes = Buffer.concat([rec.file.subarray(0, whole.fragments[0].end), videoRenumbered, rec.file.subarray(whole.fragments[0].end)]);
    assert.throws(() => readFragmentedMp4(bytes), (e: unknown) => e instanceof MediaParseError && e.code === 'invalid' && /second moov/.test(e.message));
  });

  test('box size smaller than its header is invalid', () => {
    const bytes = rec.file.slice(0, whole.fragments[0].end);
    new DataView(bytes.buffer).setUint32(whole.fragments[0].offset, 4);
    assert.throws(() => readFragmentedMp4(bytes), (e: unknown) => e instanceof MediaParseError && e.code === 'invalid');
  });

  test('a trun declaring billions of defaulted samples is invalid, not an allocation spree', () => {
    const bytes = rec.file.slice(0, whole.fragments[0].end);
    const at = Buffer.from(bytes.buffer).indexOf('trun', whole.fragments[0].offset) - 4;
    const dv = new DataView(bytes.buffer);
    dv.setUint32(at + 8, 0x000001); // tr_flags: data_offset only, every other field defaulted
    dv.setUint32(at + 12, 0xffffffff); // sample_count
    assert.throws(() => readFragmentedMp4(bytes), (e: unknown) => e instanceof MediaParseError && e.code === 'invalid');
  });
});

/**
 * Reads a mutated file and, when it is accepted, plans a copy of all of it: whatever the reader lets
 * through must be safe for fragment-copy (the API's playback, clips and exports), so only the typed media
 * errors may come out of either step.
 */
function readThenPlan(bytes: Uint8Array, what: string): void {
  try {
    planFragmentCopy([{ index: readFragmentedMp4(bytes), startUs: 0 }]);
  } catch (e) {
    assert.ok(e instanceof MediaParseError || e instanceof MediaWriteError, `${what}: ${e}`);
  }
}

/** Top-level boxes by their 32-bit sizes (our writer uses no largesize); its own scan, not the reader's. */
function topLevelBoxes(file: Uint8Array): { type: string; start: number; end: number }[] {
  const out: { type: string; start: number; end: number }[] = [];
  const dv = new DataView(file.buffer, file.byteOffset, file.length);
  for (let at = 0; at + 8 <= file.length; at += dv.getUint32(at)) {
    out.push({ type: Buffer.from(file.subarray(at + 4, at + 8)).toString('latin1'), start: at, end: at + dv.getUint32(at) });
  }
  return out;
}

/** A copy of `bytes` whose tkhd (version 0) of track `from` says track `to` instead. */
function retrack(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const dv = new DataView(out.buffer);
  const buf = Buffer.from(out.buffer);
  for (let at = buf.indexOf('tkhd'); at >= 0; at = buf.indexOf('tkhd', at + 4)) {
    const idAt = at + 4 + 4 + 8; // version/flags, creation_time, modification_time
    if (out[at + 4] === 0 && dv.getUint32(idAt) === from) {
      dv.setUint32(idAt, to);
      return out;
    }
  }
  throw new Error(`no tkhd of track ${from}`);
}

/** An in-memory ByteSource that records what was read. */
function source(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    size: bytes.length,
    reads,
    read: async (offset, length) => {
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
  };
}

describe('indexFragmentedMp4 (ByteSource)', () => {
  test('same result as the in-memory reader, without reading any sample bytes', async () => {
    const src = source(rec.file);
    const idx = await indexFragmentedMp4(src);
    assert.deepEqual(idx.fragments, whole.fragments);
    assert.deepEqual(idx.init, whole.init);
    assert.deepEqual([idx.completeLength, idx.truncated], [whole.completeLength, whole.truncated]);
    assert.deepEqual(idx.tracks.map((t) => [t.trackId, t.sampleEntryType, t.timescale]), whole.tracks.map((t) => [t.trackId, t.sampleEntryType, t.timescale]));
    const read = src.reads.reduce((n, [, len]) => n + len, 0);
    const sampleBytes = whole.fragments.reduce((n, f) => n + f.samples.reduce((m, x) => m + x.size, 0), 0);
    assert.ok(read < rec.file.length - sampleBytes + whole.init.length + 16 * 20, `read ${read} bytes of ${rec.file.length}`);
    for (const f of whole.fragments) {
      for (const x of f.samples) assert.ok(!src.reads.some(([o, len]) => o < x.offset + x.size && x.offset < o + len && len > 16 && o !== 0), 'no sample read');
    }
  });

  test('truncated source: same recovery point as the in-memory reader', async () => {
    const cut = rec.file.subarray(0, whole.fragments[1].end + 500);
    const idx = await indexFragmentedMp4(source(cut));
    const mem = readFragmentedMp4(cut);
    assert.equal(idx.truncated, true);
    assert.equal(idx.completeLength, mem.completeLength);
    assert.equal(idx.fragments.length, 2);
  });

  test('a short read is a truncated MediaParseError', async () => {
    const bad: ByteSource = { size: rec.file.length, read: async (o, n) => rec.file.slice(o, o + Math.max(0, n - 1)) };
    await assert.rejects(indexFragmentedMp4(bad), (e: unknown) => e instanceof MediaParseError && e.code === 'truncated');
  });
});
