import { putU16be, putU32be } from '../wire/byte-reader';

/** Writes type(1) version(2) epoch(2) sequence_number(6) length(2) at `o` (RFC 6347 §4.1). */
export function putRecordHeader(out: Uint8Array, o: number, type: number, version: number, epoch: number, seq: number, length: number): void {
  out[o] = type;
  putU16be(out, o + 1, version);
  putU16be(out, o + 3, epoch);
  putSeq48(out, o + 5, seq);
  putU16be(out, o + 11, length);
}

/** 48-bit big-endian; callers keep seq below 2^48 (RFC 6347 §4.1), which a JS number holds exactly. */
export function putSeq48(out: Uint8Array, o: number, seq: number): void {
  putU16be(out, o, Math.floor(seq / 0x1_0000_0000));
  putU32be(out, o + 2, seq >>> 0);
}

/**
 * The 13 bytes every protected record authenticates: epoch ‖ seq (the DTLS seq_num, RFC 6347 §4.1.2.1) ‖
 * type ‖ version ‖ plaintext length (RFC 5246 §6.2.3.1 MAC input, §6.2.3.3 AEAD additional_data).
 */
export function putRecordAad(out: Uint8Array, type: number, version: number, epoch: number, seq: number, length: number): void {
  putU16be(out, 0, epoch);
  putSeq48(out, 2, seq);
  out[8] = type;
  putU16be(out, 9, version);
  putU16be(out, 11, length);
}
