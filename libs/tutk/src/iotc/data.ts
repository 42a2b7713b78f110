import { TutkParseError } from '../wire/parse-error';
import { putU32le, u16le, u32le } from '../wire/byte-reader';
import { SESSION_ID_LENGTH, assertSessionId } from '../credentials/session-id';
import { IOTC_HEADER_LENGTH, IotcCommand, IotcFlags, IotcHeader, IotcMode, newIotcPacket, readIotcHeader } from './header';

/** FACTS §4.5: the DTLS bytes start at 28 (not 32 as the seed says). */
export const IOTC_DATA_HEADER_LENGTH = 28;
/** FACTS §4.5 [16-19]. */
const DATA_CONSTANT = 0x0000000c;

const SID_PREFIX_AT = 12;
const CHANNEL_AT = 14;
const MARKER_AT = 15;
const CONSTANT_AT = 16;
const SID_AT = 20;

export interface IotcDataFields {
  /** 0x0407 from the client, 0x0408 from the camera. */
  cmd: typeof IotcCommand.DataFromClient | typeof IotcCommand.DataFromDevice;
  /** Data sequence, one counter per sender over all channels (FACTS §4.5). */
  seq: number;
  /** IOTC channel: 0 main DTLS, 1 backchannel DTLS. */
  channel: number;
  sid: Uint8Array;
  /** One or more DTLS records. */
  payload: Uint8Array;
}

export interface IotcData {
  header: IotcHeader;
  seq: number;
  channel: number;
  /** [12-13] as sent (sid[0..1]). */
  sidPrefix: number;
  /** [15], `0x01` in every packet seen. */
  marker: number;
  /** [16-19], `0x0c` in every packet seen. */
  constant: number;
  /** Views into the packet, not copies. */
  sid: Uint8Array;
  payload: Uint8Array;
}

/** Plaintext 0x0407/0x0408 data wrapper (FACTS §4.5); one allocation, the payload copied once. */
export function buildIotcData(f: IotcDataFields): Uint8Array {
  assertSessionId(f.sid);
  if (f.channel < 0 || f.channel > 0xff) throw new RangeError(`channel out of range: ${f.channel}`);
  const flags = f.cmd === IotcCommand.DataFromClient ? IotcFlags.Client : IotcFlags.Device;
  const p = newIotcPacket(IotcMode.Data, f.cmd, flags, IOTC_DATA_HEADER_LENGTH - IOTC_HEADER_LENGTH + f.payload.length, f.seq);
  p[SID_PREFIX_AT] = f.sid[0];
  p[SID_PREFIX_AT + 1] = f.sid[1];
  p[CHANNEL_AT] = f.channel;
  p[MARKER_AT] = 0x01;
  putU32le(p, CONSTANT_AT, DATA_CONSTANT);
  p.set(f.sid, SID_AT);
  p.set(f.payload, IOTC_DATA_HEADER_LENGTH);
  return p;
}

/**
 * Parses a plaintext 0x0407 or 0x0408. Like go2rtc (FACTS §4.5) it needs more than 28 bytes and takes
 * the payload to the end of the datagram, whatever [4-5] says.
 */
export function parseIotcData(p: Uint8Array): IotcData {
  const header = readIotcHeader(p);
  if (header.cmd !== IotcCommand.DataFromClient && header.cmd !== IotcCommand.DataFromDevice) {
    throw new TutkParseError('iotc', 'unexpected-command', `data: got 0x${header.cmd.toString(16)}`);
  }
  if (p.length <= IOTC_DATA_HEADER_LENGTH) throw new TutkParseError('iotc', 'short', `data: ${p.length} bytes`);
  return {
    header,
    seq: header.seq,
    channel: p[CHANNEL_AT],
    sidPrefix: u16le(p, SID_PREFIX_AT),
    marker: p[MARKER_AT],
    constant: u32le(p, CONSTANT_AT),
    sid: p.subarray(SID_AT, SID_AT + SESSION_ID_LENGTH),
    payload: p.subarray(IOTC_DATA_HEADER_LENGTH),
  };
}

/**
 * The per-datagram path of {@link parseIotcData} for a receiver that has already checked the magic and the
 * command of the decoded header (the OLD flavour does, before decoding in place): the same length rule,
 * and only the payload view, without the header and sid objects.
 */
export function iotcDataPayload(p: Uint8Array): Uint8Array {
  if (p.length <= IOTC_DATA_HEADER_LENGTH) throw new TutkParseError('iotc', 'short', `data: ${p.length} bytes`);
  return p.subarray(IOTC_DATA_HEADER_LENGTH);
}

/** [14] of a data packet at least {@link IOTC_DATA_HEADER_LENGTH} bytes long. */
export function iotcDataChannel(p: Uint8Array): number {
  return p[CHANNEL_AT];
}
