import { BitWriter } from './bit-writer';

/**
 * A small FLAC encoder (FLAC format, RFC 9639) for live audio: 16-bit PCM in, one FLAC frame per call.
 * Each channel is coded independently as the cheapest of a CONSTANT, a VERBATIM or a FIXED-predictor
 * subframe (orders 0–4, §9.2.5) with partitioned Rice residuals (§9.2.7). No LPC: camera audio at 8–16 kHz
 * is a few kB/s either way, and the fixed predictors need no coefficient search.
 * Frames use the variable block size strategy (§9.1.1: the header carries the first sample's number), so a
 * camera's frames may have any length; one encoder is one stream (its sample numbers run on).
 */

/** Largest block a frame may hold here: the streamable subset's limit up to 48 kHz (§7). */
export const FLAC_MAX_BLOCK = 4608;
/** Smallest block STREAMINFO allows to declare (§8.2). */
const FLAC_MIN_BLOCK = 16;
const BITS_PER_SAMPLE = 16;
/** Rice parameters 0..14; 15 is the escape code of a 4-bit-parameter residual (§9.2.7.1). */
const MAX_RICE = 14;
const ESCAPE = 15;
const MAX_PARTITION_ORDER = 8;
/**
 * Coded sample numbers wrap at 2^31 instead of the format's 2^36: ffmpeg's FLAC decoder (and Chromium's,
 * built on it) rejects a 7-byte coded number. In MP4 the container times each frame, so a decoder never
 * relies on the number; the wrap comes after 12.4 hours at 48 kHz.
 */
const SAMPLE_NUMBER_WRAP = 2 ** 31;

export interface FlacStreamParams {
  sampleRate: number;
  channels: number;
}

export interface FlacEncoderOptions {
  /** Number of the first sample in the stream (the frames' coded numbers count from it). Default 0. */
  firstSample?: number;
}

const CRC8 = crcTable(8, 0x07);
const CRC16 = crcTable(16, 0x8005);

function crcTable(width: 8 | 16, poly: number): Uint16Array {
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << (width - 8);
    for (let b = 0; b < 8; b++) c = c & top ? ((c << 1) ^ poly) & mask : (c << 1) & mask;
    t[i] = c;
  }
  return t;
}

/** CRC-8 of the frame header (poly x^8 + x^2 + x + 1, §9.1.8). */
function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = CRC8[c ^ b[i]];
  return c;
}

/** CRC-16 of the whole frame (poly x^16 + x^15 + x^2 + 1, §9.3). */
function crc16(b: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < b.length; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >>> 8) ^ b[i]];
  return c;
}

const RATE_CODES = new Map([[88200, 1], [176400, 2], [192000, 3], [8000, 4], [16000, 5], [22050, 6], [24000, 7], [32000, 8], [44100, 9], [48000, 10], [96000, 11]]);

/** STREAMINFO (§8.2): 34 bytes; frame sizes, total samples and the MD5 left unknown (0), as a live stream must. */
export function flacStreamInfo(p: FlacStreamParams): Uint8Array {
  const w = new BitWriter(34);
  w.bits(FLAC_MIN_BLOCK, 16); // minimum block size
  w.bits(FLAC_MAX_BLOCK, 16); // maximum block size
  w.bits(0, 24); // minimum frame size: unknown
  w.bits(0, 24); // maximum frame size: unknown
  w.bits(p.sampleRate, 20); // sample rate
  w.bits(p.channels - 1, 3); // number of channels − 1
  w.bits(BITS_PER_SAMPLE - 1, 5); // bits per sample − 1
  w.bits(0, 4).bits(0, 32); // total samples (36 bits): unknown
  for (let i = 0; i < 4; i++) w.bits(0, 32); // MD5 of the unencoded audio: unknown
  return w.build();
}

/** The coded number of §9.1.5: UTF-8's scheme extended to 36 bits (here at most 31, 6 bytes). */
function codedNumber(w: BitWriter, n: number): void {
  if (n < 0x80) {
    w.bits(n, 8);
    return;
  }
  let bytes = 2;
  while (bytes < 7 && n >= 2 ** (5 * bytes + 1)) bytes++;
  const lead = 0xff00 >> bytes; // `bytes` one bits then a zero
  w.bits((lead & 0xff) | Math.floor(n / 2 ** (6 * (bytes - 1))), 8);
  for (let i = bytes - 2; i >= 0; i--) w.bits(0x80 | (Math.floor(n / 2 ** (6 * i)) & 0x3f), 8);
}

/** Residual of fixed predictor `order` at sample i (§9.2.5, the binomial predictors). */
function fixedResidual(x: Int32Array, i: number, order: number): number {
  switch (order) {
    case 0:
      return x[i];
    case 1:
      return x[i] - x[i - 1];
    case 2:
      return x[i] - 2 * x[i - 1] + x[i - 2];
    case 3:
      return x[i] - 3 * x[i - 1] + 3 * x[i - 2] - x[i - 3];
    default:
      return x[i] - 4 * x[i - 1] + 6 * x[i - 2] - 4 * x[i - 3] + x[i - 4];
  }
}

interface ResidualPlan {
  bits: number;
  partitionOrder: number;
  /** Per partition: the Rice parameter, or ESCAPE with `rawBits`. */
  params: number[];
  rawBits: number[];
}

/**
 * The partition order and per-partition parameters for the folded residuals u[order..n), chosen on estimates
 * from each partition's sum and maximum (one pass over the samples at the finest order, then pairs merged):
 * Rice parameter k ≈ log2(mean), its cost ≈ count·(k + 1) + sum / 2^k; or the escape code when raw
 * two's-complement residuals are smaller. Exactness only affects size, never correctness.
 */
function planResidual(u: Uint32Array, n: number, order: number): ResidualPlan {
  let finest = 0;
  while (finest < MAX_PARTITION_ORDER && n % (1 << (finest + 1)) === 0 && n >> (finest + 1) > order) finest++;
  let parts = 1 << finest;
  const size = n >> finest;
  let sums = new Float64Array(parts);
  let maxs = new Uint32Array(parts);
  for (let j = 0; j < parts; j++) {
    let sum = 0;
    let max = 0;
    for (let i = j === 0 ? order : j * size; i < (j + 1) * size; i++) {
      sum += u[i];
      if (u[i] > max) max = u[i];
    }
    sums[j] = sum;
    maxs[j] = max;
  }
  let best: ResidualPlan | undefined;
  for (let p = finest; ; p--) {
    const partSize = n >> p;
    const params: number[] = [];
    const rawBits: number[] = [];
    let bits = 2 + 4; // coding method, partition order
    for (let j = 0; j < parts; j++) {
      const count = partSize - (j === 0 ? order : 0);
      const sum = sums[j];
      const k = count > 0 && sum > count ? Math.min(MAX_RICE, Math.floor(Math.log2(sum / count))) : 0;
      const riceBits = count * (k + 1) + Math.floor(sum / 2 ** k);
      const raw = 32 - Math.clz32(maxs[j]) + 1; // folded back, |r| ≤ max/2 + 1 fits with a sign bit
      const escBits = 5 + count * raw;
      const escape = escBits < riceBits;
      params.push(escape ? ESCAPE : k);
      rawBits.push(escape ? raw : 0);
      bits += 4 + (escape ? escBits : riceBits);
    }
    if (!best || bits < best.bits) best = { bits, partitionOrder: p, params, rawBits };
    if (p === 0) return best;
    parts >>= 1;
    const s2 = new Float64Array(parts);
    const m2 = new Uint32Array(parts);
    for (let j = 0; j < parts; j++) {
      s2[j] = sums[2 * j] + sums[2 * j + 1];
      m2[j] = Math.max(maxs[2 * j], maxs[2 * j + 1]);
    }
    sums = s2;
    maxs = m2;
  }
}

/**
 * Encodes frames of one stream. `encode` takes interleaved 16-bit samples (a whole number of frames per
 * channel, at most FLAC_MAX_BLOCK per channel) and returns one complete FLAC frame.
 */
export class FlacEncoder {
  private nextSample = 0;
  private readonly x = new Int32Array(FLAC_MAX_BLOCK);
  private readonly u = new Uint32Array(FLAC_MAX_BLOCK);

  constructor(
    readonly params: FlacStreamParams,
    options: FlacEncoderOptions = {},
  ) {
    this.nextSample = options.firstSample ?? 0;
    if (params.channels < 1 || params.channels > 8) throw new RangeError(`FLAC: ${params.channels} channels`);
    if (!(params.sampleRate > 0 && params.sampleRate < 2 ** 20)) throw new RangeError(`FLAC: sample rate ${params.sampleRate}`);
  }

  /** STREAMINFO of this stream (the `dfLa` box carries it). */
  streamInfo(): Uint8Array {
    return flacStreamInfo(this.params);
  }

  encode(interleaved: Int16Array): Uint8Array {
    const ch = this.params.channels;
    const n = Math.floor(interleaved.length / ch);
    if (n < 1 || n > FLAC_MAX_BLOCK) throw new RangeError(`FLAC: block of ${n} samples`);
    const w = new BitWriter(n * ch * 2 + 64);
    this.header(w, n);
    for (let c = 0; c < ch; c++) {
      for (let i = 0; i < n; i++) this.x[i] = interleaved[i * ch + c];
      this.subframe(w, n);
    }
    w.align();
    const body = w.view();
    w.bits(crc16(body), 16); // frame footer
    this.nextSample = (this.nextSample + n) % SAMPLE_NUMBER_WRAP;
    return w.build();
  }

  /** Frame header (§9.1). */
  private header(w: BitWriter, n: number): void {
    const rate = this.params.sampleRate;
    let rateCode = RATE_CODES.get(rate);
    if (rateCode === undefined) rateCode = rate % 1000 === 0 && rate / 1000 <= 255 ? 12 : rate <= 0xffff ? 13 : rate % 10 === 0 ? 14 : 0;
    const sizeCode = n <= 256 ? 6 : 7; // the block size follows, minus one, in 8 or 16 bits
    w.bits(0x3ffe, 14); // sync code
    w.bits(0, 1); // reserved
    w.bits(1, 1); // blocking strategy: variable
    w.bits(sizeCode, 4); // block size
    w.bits(rateCode, 4); // sample rate
    w.bits(this.params.channels - 1, 4); // channel assignment: independent channels
    w.bits(0b100, 3); // bit depth: 16
    w.bits(0, 1); // reserved
    codedNumber(w, this.nextSample); // coded number: the first sample's
    w.bits(n - 1, sizeCode === 6 ? 8 : 16); // uncommon block size − 1
    if (rateCode === 12) w.bits(rate / 1000, 8);
    else if (rateCode === 13) w.bits(rate, 16);
    else if (rateCode === 14) w.bits(rate / 10, 16);
    w.bits(crc8(w.view(), 0, w.byteLength), 8); // frame header CRC
  }

  /** The cheapest subframe (§9.2) for this.x[0..n). */
  private subframe(w: BitWriter, n: number): void {
    const x = this.x;
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = x[i] === x[0];
    if (constant) {
      w.bits(0b0000000, 7).bits(0, 1); // zero pad, CONSTANT, no wasted bits
      w.signed(x[0], BITS_PER_SAMPLE);
      return;
    }
    // The order whose residual has the smallest magnitude over the samples every order predicts.
    let order = 0;
    let bestSum = Infinity;
    const from = Math.min(4, n - 1);
    for (let o = 0; o <= Math.min(4, n - 1); o++) {
      let sum = 0;
      for (let i = from; i < n; i++) sum += Math.abs(fixedResidual(x, i, o));
      if (sum < bestSum) [order, bestSum] = [o, sum];
    }
    const u = this.u;
    for (let i = order; i < n; i++) {
      const r = fixedResidual(x, i, order);
      u[i] = r >= 0 ? 2 * r : -2 * r - 1; // zigzag fold (§9.2.7.3)
    }
    const plan = planResidual(u, n, order);
    if (8 + order * BITS_PER_SAMPLE + plan.bits >= 8 + n * BITS_PER_SAMPLE) {
      w.bits(0b0000001, 7).bits(0, 1); // VERBATIM
      for (let i = 0; i < n; i++) w.signed(x[i], BITS_PER_SAMPLE);
      return;
    }
    w.bits(0b0001000 | order, 7).bits(0, 1); // zero pad, FIXED of `order`, no wasted bits
    for (let i = 0; i < order; i++) w.signed(x[i], BITS_PER_SAMPLE); // warm-up samples
    w.bits(0b00, 2); // residual coding method: 4-bit Rice parameters
    w.bits(plan.partitionOrder, 4);
    const size = n >> plan.partitionOrder;
    for (let j = 0; j < plan.params.length; j++) {
      const k = plan.params[j];
      const start = j === 0 ? order : j * size;
      const end = (j + 1) * size;
      w.bits(k, 4);
      if (k === ESCAPE) {
        const raw = plan.rawBits[j];
        w.bits(raw, 5);
        for (let i = start; i < end; i++) w.signed(fixedResidual(x, i, order), raw);
        continue;
      }
      for (let i = start; i < end; i++) {
        const v = u[i];
        w.unary(v >>> k);
        if (k > 0) w.bits(v & ((1 << k) - 1), k);
      }
    }
  }
}
