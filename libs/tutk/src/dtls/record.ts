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
  const type = r.u8(); // type
  const version = r.u16be(); // version
  // Every DTLS version is fe xx; anything else is not DTLS at all.
  if (version >>> 8 !== 0xfe) throw new TutkParseError('dtls', 'bad-version', version.toString(16));
  const epoch = r.u16be(); // epoch
  const seq = r.u48be(); // sequence_number
  const length = r.u16be(); // length
  if (length > MAX_CIPHERTEXT) throw new TutkParseError('dtls', 'record-overflow', String(length));
  const payload = r.take(length, 'record fragment'); // fragment
  return { type, version, epoch, seq, payload };
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
