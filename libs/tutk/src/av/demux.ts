import { u16le } from '../wire/byte-reader';
import { AvMagic } from './constants';

/** What a decrypted channel-0 record is, by its first two bytes (FACTS §8.1). */
export type AvRecordKind = 'login-response' | 'ioctrl' | 'channel-message' | 'control' | 'ack' | 'media' | 'unknown';

export function classifyAvRecord(record: Uint8Array): AvRecordKind {
  if (record.length < 2) return 'unknown';
  switch (u16le(record, 0)) {
    case AvMagic.LoginResponse:
      return 'login-response';
    case AvMagic.Ioctrl:
      return 'ioctrl';
    case AvMagic.ChannelMessage:
      return 'channel-message';
    case AvMagic.Control:
      return 'control';
    case AvMagic.Ack:
      return 'ack';
  }
  const b0 = record[0];
  return b0 === 0x03 || b0 === 0x05 || b0 === 0x07 ? 'media' : 'unknown';
}

/** The four kinds that go into the client's single command queue (FACTS §8.1). */
export function isCommandRecord(kind: AvRecordKind): boolean {
  return kind === 'login-response' || kind === 'ioctrl' || kind === 'channel-message' || kind === 'control';
}
