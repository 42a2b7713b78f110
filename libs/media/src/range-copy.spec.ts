import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes } from '@wyze-nvr/bytes';
import { copyFragments } from './fragment-copy';
import { indexFragmentedMp4, readFragmentedMp4 } from './fmp4-reader';
import { MediaWriteError } from './errors';
import { buildMoofAndMdatHeader } from './isobmff/fragment';
import { box } from './isobmff/bytes';
import { copyRange, setSequenceNumber, type IndexedSegmentFile } from './range-copy';
import { recordFixture } from '../test/support';

const T0 = 2_000_000_000_000_000;
const FRAME_US = 50_000;
const recs = [0, 1, 2, 3].map((k) => recordFixture({ video: 'h264', audio: 'aac', startUs: T0 + k * 40 * FRAME_US, frames: [k * 40, (k + 1) * 40] }));
const segments = recs.map((r, id) => ({ id, startUs: r.startUs, file: String(id) }));

/** Opens the in-memory recordings as the API opens files, and counts what is still open. */
function opener() {
  const state = { open: 0, opened: 0 };
  const open = async (file: string): Promise<IndexedSegmentFile> => {
    const data = recs[Number(file)].file;
    const read = async (o: number, n: number) => data.slice(o, o + n);
    const index = await indexFragmentedMp4({ size: data.length, read });
    state.open++;
    state.opened++;
    return { index, read, close: async () => void state.open-- };
  };
  return { open, state };
}

async function drain(gen: AsyncGenerator<Uint8Array, unknown>): Promise<{ bytes: Uint8Array; result: unknown }> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const step = await gen.next();
    if (step.done) return { bytes: concatBytes(...chunks), result: step.value };
    chunks.push(step.value);
  }
}

describe('copyRange', () => {
  test('batched over files: the same bytes as one plan over all segments, sequence numbers 1…n, every file closed', async () => {
    const range = { fromUs: T0 + 10 * FRAME_US, toUs: T0 + 150 * FRAME_US };
    const expected = concatBytes(...copyFragments(recs.map((r) => ({ data: r.file, startUs: r.startUs })), range).chunks);
    const { open, state } = opener();
    const done: number[] = [];
    let started: number | undefined;
    const { bytes, result } = await drain(copyRange(segments, open, { ...range, batch: 2, readBytes: 1000, onStart: (i) => (started = i.startUs), onSegmentDone: (i) => done.push(i) }));
    assert.deepEqual(bytes, expected);
    const out = readFragmentedMp4(bytes);
    assert.deepEqual(out.fragments.map((f) => f.sequenceNumber), out.fragments.map((_, i) => i + 1));
    assert.equal(started, T0);
    assert.deepEqual(result, { startUs: T0, endUs: (result as { endUs: number }).endUs, fragments: out.fragments.length, bytes: bytes.length });
    assert.deepEqual(done, [0, 1, 2, 3]);
    assert.equal(state.open, 0);
    assert.equal(state.opened, 4);
  });

  test('an error opening a later file closes the ones already open and reaches the caller unchanged', async () => {
    const { open, state } = opener();
    const boom = new Error('damaged');
    const failing = async (file: string) => (file === '2' ? Promise.reject(boom) : open(file));
    await assert.rejects(drain(copyRange(segments, failing, { fromUs: T0, toUs: T0 + 160 * FRAME_US, batch: 2 })), (e) => e === boom);
    assert.equal(state.open, 0);
  });
});

describe('setSequenceNumber', () => {
  const run = { trackId: 1, baseMediaDecodeTime: 0, durations: [1], sizes: [1], flags: [0] };
  const sequenceOf = (header: Uint8Array) => readFragmentedMp4(concatBytes(initOf(), header, new Uint8Array(1))).fragments[0].sequenceNumber;
  const initOf = () => recs[0].file.subarray(0, readFragmentedMp4(recs[0].file).init.length);

  test('rewrites mfhd.sequence_number of a planned moof', () => {
    const header = buildMoofAndMdatHeader(1, [run]);
    setSequenceNumber(header, 0xfeedbeef);
    assert.equal(sequenceOf(header), 0xfeedbeef);
  });

  test('finds the mfhd by the box structure, not at a fixed offset', () => {
    const planned = buildMoofAndMdatHeader(1, [run]);
    const moofSize = new DataView(planned.buffer).getUint32(0);
    // The same moof with a `free` box before its mfhd: the mfhd is 16 bytes further in.
    const moof = box('moof', box('free', new Uint8Array(8)), planned.subarray(8, moofSize));
    setSequenceNumber(moof, 7);
    const mfhdAt = 8 + 16;
    assert.equal(String.fromCharCode(...moof.subarray(mfhdAt + 4, mfhdAt + 8)), 'mfhd');
    assert.equal(new DataView(moof.buffer).getUint32(mfhdAt + 12), 7);
    assert.equal(new DataView(moof.buffer).getUint32(16), 0, 'the free box is untouched');
  });

  test('a header that is not a moof with an mfhd is refused', () => {
    const noMfhd = box('moof', box('traf'));
    assert.throws(() => setSequenceNumber(noMfhd, 1), (e: unknown) => e instanceof MediaWriteError && e.code === 'mismatch');
    assert.throws(() => setSequenceNumber(box('mdat'), 1), (e: unknown) => e instanceof MediaWriteError && e.code === 'mismatch');
    assert.throws(() => setSequenceNumber(new Uint8Array(4), 1), (e: unknown) => e instanceof MediaWriteError && e.code === 'mismatch');
  });
});
