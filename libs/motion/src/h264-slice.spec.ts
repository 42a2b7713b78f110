import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaParseError, parseH264Pps, parseH264Sps, splitAnnexB } from '@wyze-nvr/media';
import { parseH264SliceHeader, H264SliceType } from './h264-slice';
import { FrameComplexityReader } from './frame-complexity';
import { annexB, h264Pps, h264Slice, h264Sps } from '../test/h264-writer';

const sets = (picInitQp: number, weightedPred = false) => {
  const sps = parseH264Sps(h264Sps());
  const pps = parseH264Pps(h264Pps(picInitQp, { weightedPred }));
  return { sps: new Map([[sps.spsId, sps]]), pps: new Map([[pps.ppsId, pps]]) };
};

describe('H.264 parameter sets for slice headers', () => {
  test('SPS fields that shape the slice header', () => {
    const { spsId, separateColourPlane, chromaArrayType, log2MaxFrameNum, picOrderCntType, log2MaxPicOrderCntLsb, deltaPicOrderAlwaysZero, frameMbsOnly } =
      parseH264Sps(h264Sps());
    const sps = { spsId, separateColourPlane, chromaArrayType, log2MaxFrameNum, picOrderCntType, log2MaxPicOrderCntLsb, deltaPicOrderAlwaysZero, frameMbsOnly };
    assert.deepEqual(sps, {
      spsId: 0,
      separateColourPlane: false,
      chromaArrayType: 1,
      log2MaxFrameNum: 4,
      picOrderCntType: 2,
      log2MaxPicOrderCntLsb: 0,
      deltaPicOrderAlwaysZero: false,
      frameMbsOnly: true,
    });
  });

  test('PPS pic_init_qp and weighting', () => {
    const pps = parseH264Pps(h264Pps(31, { weightedPred: true }));
    assert.equal(pps.picInitQp, 31);
    assert.equal(pps.weightedPred, true);
    assert.equal(pps.numRefIdxL0DefaultActive, 1);
  });

  test('a non-SPS NAL is rejected with a typed error', () => {
    assert.throws(() => parseH264Sps(h264Pps(26)), (e) => e instanceof MediaParseError && e.code === 'invalid');
  });
});

describe('H.264 slice_qp_delta', () => {
  for (const [init, qp] of [
    [26, 26],
    [26, 38],
    [30, 22],
    [20, 51],
    [40, 0],
  ]) {
    test(`QP ${qp} with pic_init_qp ${init}, IDR and P`, () => {
      const s = sets(init);
      const idr = parseH264SliceHeader(h264Slice({ idr: true, qp, bytes: 500, picInitQp: init }), s);
      assert.equal(idr.qp, qp);
      assert.equal(idr.sliceType, H264SliceType.I);
      const p = parseH264SliceHeader(h264Slice({ idr: false, qp, bytes: 500, picInitQp: init, frameNum: 3 }), s);
      assert.equal(p.qp, qp);
      assert.equal(p.sliceType, H264SliceType.P);
    });
  }

  test('reordering, weighted prediction and marking commands are skipped, not misread', () => {
    const s = sets(28, true);
    const h = parseH264SliceHeader(h264Slice({ idr: false, qp: 33, bytes: 400, picInitQp: 28, extras: true, weightedPred: true }), s);
    assert.equal(h.qp, 33);
  });

  test('a slice whose PPS was never seen is "missing"', () => {
    const s = { sps: new Map(), pps: new Map() };
    assert.throws(() => parseH264SliceHeader(h264Slice({ idr: true, qp: 30, bytes: 50, picInitQp: 26 }), s), (e) => e instanceof MediaParseError && e.code === 'missing');
  });

  test('a header cut short is "truncated"', () => {
    const nal = h264Slice({ idr: false, qp: 30, bytes: 50, picInitQp: 26, extras: true, weightedPred: true });
    assert.throws(() => parseH264SliceHeader(nal.subarray(0, 4), sets(26, true)), (e) => e instanceof MediaParseError && e.code === 'truncated');
  });

  test('random bytes after a slice NAL header give a typed error or a QP in range, never a crash', () => {
    let seed = 7;
    const s = sets(26);
    for (let i = 0; i < 2000; i++) {
      const len = 2 + (i % 40);
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      b[0] = i % 2 ? 0x41 : 0x65;
      try {
        const h = parseH264SliceHeader(b, s);
        assert.ok(h.qp >= -12 && h.qp <= 51);
      } catch (e) {
        assert.ok(e instanceof MediaParseError, String(e));
      }
    }
  });
});

describe('FrameComplexityReader (H.264)', () => {
  test('multiple slices: bytes add up, QP is byte-weighted, complexity is Σ bits × 2^(QP/6)', () => {
    const r = new FrameComplexityReader('h264');
    const a = h264Slice({ idr: false, qp: 24, bytes: 3000, picInitQp: 26, firstMb: 0 });
    const b = h264Slice({ idr: false, qp: 30, bytes: 1000, picInitQp: 26, firstMb: 120 });
    r.read([h264Sps(), h264Pps(26), h264Slice({ idr: true, qp: 26, bytes: 100, picInitQp: 26 })]);
    const sei = new Uint8Array([0x06, 0x05, 0x10, 1, 2, 3]);
    const filler = new Uint8Array(500).fill(0xff);
    filler[0] = 0x0c;
    const f = r.read(splitAnnexB(annexB([new Uint8Array([0x09, 0x30]), sei, a, b, filler])));
    assert.equal(f.slices, 2);
    assert.equal(f.sliceBytes, a.length + b.length);
    assert.equal(f.intra, false);
    const expected = 8 * (a.length * 2 ** 4 + b.length * 2 ** 5);
    assert.ok(Math.abs(f.complexity! - expected) < 1e-6 * expected);
    assert.ok(f.qp! > 24 && f.qp! < 30);
    assert.equal(f.errors, 0);
  });

  test('an IDR access unit is intra; a slice before any PPS is counted as an error, not thrown', () => {
    const r = new FrameComplexityReader('h264');
    const early = r.read([h264Slice({ idr: false, qp: 30, bytes: 100, picInitQp: 26 })]);
    assert.equal(early.errors, 1);
    assert.equal(early.complexity, null);
    const idr = r.read([h264Sps(), h264Pps(26), h264Slice({ idr: true, qp: 26, bytes: 100, picInitQp: 26 })]);
    assert.equal(idr.intra, true);
    assert.equal(idr.qp, 26);
  });
});
