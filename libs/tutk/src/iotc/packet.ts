import { TutkParseError } from '../wire/parse-error';
import { transcodeDecodeHeader, transcodeDecodePacketInPlace, transcodeEncodePacketInPlace } from '../transcode/transcode';
import { u16le } from '../wire/byte-reader';
import { IOTC_HEADER_LENGTH, IotcCommand } from './header';
import { DiscoReply, DiscoRequest, parseDiscoReply, parseDiscoRequest } from './disco';
import { IotcSessionReply, IotcSessionRequest, parseIotcSessionReply, parseIotcSessionRequest } from './session';
import { IotcData, parseIotcData } from './data';
import { IotcKeepalive, parseIotcKeepalivePing, parseIotcKeepaliveReply } from './keepalive';

/** Every OLD-flavour message, whichever side sent it. */
export type IotcMessage =
  | ({ type: 'disco-request' } & DiscoRequest)
  | ({ type: 'disco-reply' } & DiscoReply)
  | ({ type: 'session-request' } & IotcSessionRequest)
  | ({ type: 'session-reply' } & IotcSessionReply)
  | ({ type: 'data' } & IotcData)
  | ({ type: 'keepalive-ping' } & IotcKeepalive)
  | ({ type: 'keepalive-reply' } & IotcKeepalive);

/** Parses a plaintext (decoded) IOTC packet by its command. */
export function parseIotcPacket(p: Uint8Array): IotcMessage {
  if (p.length < IOTC_HEADER_LENGTH) throw new TutkParseError('iotc', 'short', `header: ${p.length} bytes`);
  switch (u16le(p, 8)) {
    case IotcCommand.DiscoRequest:
      return { type: 'disco-request', ...parseDiscoRequest(p) };
    case IotcCommand.DiscoReply:
      return { type: 'disco-reply', ...parseDiscoReply(p) };
    case IotcCommand.SessionRequest:
      return { type: 'session-request', ...parseIotcSessionRequest(p) };
    case IotcCommand.SessionReply:
      return { type: 'session-reply', ...parseIotcSessionReply(p) };
    case IotcCommand.DataFromClient:
    case IotcCommand.DataFromDevice:
      return { type: 'data', ...parseIotcData(p) };
    case IotcCommand.KeepalivePing:
      return { type: 'keepalive-ping', ...parseIotcKeepalivePing(p) };
    case IotcCommand.KeepaliveReply:
      return { type: 'keepalive-reply', ...parseIotcKeepaliveReply(p) };
    default:
      throw new TutkParseError('iotc', 'unknown-command', `0x${u16le(p, 8).toString(16)}`);
  }
}

const headerScratch = new Uint8Array(IOTC_HEADER_LENGTH);

/**
 * The command of a wire datagram, or undefined when it is too short or lacks the IOTC magic once
 * decoded. Leaves the datagram untouched, so a receiver can classify before decoding (FACTS §6).
 */
export function peekIotcCommand(wire: Uint8Array): number | undefined {
  if (!transcodeDecodeHeader(wire, headerScratch)) return undefined;
  if (headerScratch[0] !== 0x04 || headerScratch[1] !== 0x02) return undefined;
  return u16le(headerScratch, 8);
}

/**
 * Decodes a wire datagram **in place** (TransCode packet rule, FACTS §3.2) and parses it. The returned
 * message holds views into `wire`, which then contains plaintext: hand over a buffer you own (a socket
 * delivers a fresh one per datagram). A datagram without the IOTC magic is rejected before any byte
 * of it changes.
 */
export function decodeIotcDatagram(wire: Uint8Array): IotcMessage {
  if (peekIotcCommand(wire) === undefined) {
    throw new TutkParseError('iotc', wire.length < IOTC_HEADER_LENGTH ? 'short' : 'bad-magic', `${wire.length} bytes`);
  }
  transcodeDecodePacketInPlace(wire);
  return parseIotcPacket(wire);
}

/** Scrambles a plaintext packet **in place** for the wire and returns the same array. */
export function encodeIotcDatagram(plain: Uint8Array): Uint8Array {
  transcodeEncodePacketInPlace(plain);
  return plain;
}
