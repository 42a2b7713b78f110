import { ByteReader } from '../wire/byte-reader';
import { TutkParseError } from '../wire/parse-error';
import { MAX_PLAINTEXT, RECORD_HEADER_LENGTH } from './constants';
import { putRecordHeader } from './record-header';

export interface DtlsRecord {
  /** ContentType */
  type: number;
  /** ProtocolVersion as a u16 (fe fd) */
  version: number;
  epoch: number;
  /** 48-bit sequence_number */
  seq: number;
  /** DTLSCiphertext.fragment: a view into the datagram, not a copy */
  payload: Uint8Array;
}

/** TLSCiphertext may exceed TLSPlaintext by at most 2048 bytes (RFC 5246 §6.2.3). */
const MAX_CIPHERTEXT = MAX_PLAINTEXT + 2048;

/** Reads one record header and its payload from `r` (RFC 6347 §4.1). */
export function readRecord(r: ByteReader): DtlsRecord {
  const rec: DtlsRecord = { type: 0, version: 0, epoch: 0, seq: 0, payload: r.bytes };
  r.offset = readRecordAt(r.bytes, r.offset, rec);
  return rec;
}

function short(what: string, n: number, at: number, have: number): TutkParseError {
  return new TutkParseError('dtls', 'short', `${what}: need ${n} at ${at}, have ${have}`);
}

/**
 * {@link readRecord} for the per-datagram path: reads the record at `offset` of `b` into `out` (which the
 * caller reuses) and returns the offset after it. Same checks in the same order, without a reader object.
 */
export function readRecordAt(b: Uint8Array, offset: number, out: DtlsRecord): number {
  const n = b.length;
  if (n - offset < 3) throw short('field', 3, offset, n - offset);
  const type = b[offset]; // type
  const version = (b[offset + 1] << 8) | b[offset + 2]; // version
  // Every DTLS version is fe xx; anything else is not DTLS at all.
  if (version >>> 8 !== 0xfe) throw new TutkParseError('dtls', 'bad-version', version.toString(16));
  if (n - offset < RECORD_HEADER_LENGTH) throw short('field', 2, offset + 3, n - offset - 3);
  const epoch = (b[offset + 3] << 8) | b[offset + 4]; // epoch
  const seq = ((b[offset + 5] << 8) | b[offset + 6]) * 0x1_0000_0000 + (((b[offset + 7] << 24) | (b[offset + 8] << 16) | (b[offset + 9] << 8) | b[offset + 10]) >>> 0); // sequence_number
  const length = (b[offset + 11] << 8) | b[offset + 12]; // length
  if (length > MAX_CIPHERTEXT) throw new TutkParseError('dtls', 'record-overflow', String(length));
  const start = offset + RECORD_HEADER_LENGTH;
  if (start + length > n) throw short('record fragment', length, start, n - start);
  out.type = type;
  out.version = version;
  out.epoch = epoch;
  out.seq = seq;
  out.payload = b.subarray(start, start + length); // fragment
  return start + length;
}

/** Every record of a datagram; a malformed one fails the whole call (the endpoint keeps the good prefix itself). */
export function parseRecords(datagram: Uint8Array): DtlsRecord[] {
  const r = new ByteReader(datagram, 'dtls');
  const out: DtlsRecord[] = [];
  while (r.remaining > 0) out.push(readRecord(r));
  return out;
}

/** An unprotected (epoch 0 or NULL-cipher) record. */
export function plaintextRecord(type: number, version: number, epoch: number, seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_LENGTH + payload.length);
  putRecordHeader(out, 0, type, version, epoch, seq, payload.length);
  out.set(payload, RECORD_HEADER_LENGTH);
  return out;
}
